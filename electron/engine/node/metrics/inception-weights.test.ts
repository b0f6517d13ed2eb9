import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadInceptionWeights, inceptionWeightCandidates, loadFidInception } from './inception-weights';

const dir = mkdtempSync(join(tmpdir(), 'sagan-inception-weights-'));
const payload = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7919) % 251));
const digest = createHash('sha256').update(payload).digest('hex');
let server: Server;
let base: string;

beforeAll(async () => {
  // A real HTTP server on loopback: /weights serves the file, /moved redirects to it (as GitHub's assets do).
  server = createServer((req, res) => {
    if (req.url === '/moved') res.writeHead(302, { location: '/weights' }).end();
    else if (req.url === '/weights') res.writeHead(200, { 'content-length': payload.length }).end(payload);
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('Inception weights', () => {
  it('downloads through a redirect, checks the SHA-256 and keeps the file', async () => {
    const dest = join(dir, 'a', 'weights.pth');
    let seen = 0;
    await downloadInceptionWeights(dest, {
      url: `${base}/moved`,
      sha256Prefix: digest.slice(0, 8),
      onProgress: (bytes) => (seen = bytes),
    });
    expect(readFileSync(dest).equals(payload)).toBe(true);
    expect(seen).toBe(payload.length);
  });

  it('refuses a download whose checksum is wrong and leaves nothing behind', async () => {
    const dest = join(dir, 'b', 'weights.pth');
    await expect(downloadInceptionWeights(dest, { url: `${base}/weights`, sha256Prefix: '00000000' })).rejects.toThrow(
      /not 00000000…; it was not kept/,
    );
    expect(readdirSync(join(dir, 'b'))).toEqual([]);
  });

  it('says what to do when the server has no such file', async () => {
    await expect(downloadInceptionWeights(join(dir, 'c', 'w.pth'), { url: `${base}/nothing` })).rejects.toThrow(
      /HTTP 404/,
    );
  });

  it('names the missing file and how to get the real one', async () => {
    await expect(loadFidInception(join(dir, 'absent.pth'))).rejects.toThrow(
      /absent\.pth does not exist\. FID needs pytorch-fid's Inception weights, pt_inception-2015-12-05-6726825d\.pth/,
    );
  });

  it('refuses a file whose SHA-256 is not the published one', async () => {
    const file = join(dir, 'other.pth');
    writeFileSync(file, payload);
    await expect(loadFidInception(file)).rejects.toThrow(
      /starts with 6726825d: it is another file or a damaged download/,
    );
  });

  it("looks in $SAGAN_INCEPTION_WEIGHTS first, then our cache, then torch.hub's", () => {
    const c = inceptionWeightCandidates({ SAGAN_INCEPTION_WEIGHTS: '/w.pth', XDG_CACHE_HOME: '/c' });
    expect(c).toEqual([
      '/w.pth',
      '/c/sagan-studio/pt_inception-2015-12-05-6726825d.pth',
      '/c/torch/hub/checkpoints/pt_inception-2015-12-05-6726825d.pth',
    ]);
    expect(existsSync(c[1]!)).toBe(false);
  });
});
