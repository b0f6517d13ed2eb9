import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeHeaded, encodeHeaded, readHeadedFile } from './headed-file';

const join2 = (a: Uint8Array, b: Uint8Array) => {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
};

describe('headed files', () => {
  it('give back the header and the body, the body starting on the asked alignment', () => {
    const body = Uint8Array.from([1, 2, 3, 4, 5]);
    for (const align of [1, 8]) {
      const prefix = encodeHeaded('TESTMAG1', { n: 5, name: 'ü' }, align);
      expect(prefix.length % align).toBe(0);
      const read = decodeHeaded(join2(prefix, body), 'TESTMAG1', align);
      expect(read?.header).toEqual({ n: 5, name: 'ü' });
      expect(Array.from(read!.body)).toEqual([1, 2, 3, 4, 5]);
    }
  });

  it('read another magic, a cut header, broken JSON or a missing file as a miss', async () => {
    const whole = join2(encodeHeaded('TESTMAG1', { n: 1 }), Uint8Array.from([9]));
    expect(decodeHeaded(whole, 'OTHERMAG')).toBeNull();
    expect(decodeHeaded(whole.subarray(0, 14), 'TESTMAG1')).toBeNull();
    const broken = whole.slice();
    broken[12] = 0x7d; // '}' where '{' was
    expect(decodeHeaded(broken, 'TESTMAG1')).toBeNull();
    const dir = mkdtempSync(join(tmpdir(), 'headed-'));
    expect(await readHeadedFile(join(dir, 'absent'), 'TESTMAG1')).toBeNull();
    writeFileSync(join(dir, 'present'), whole);
    expect((await readHeadedFile(join(dir, 'present'), 'TESTMAG1'))?.header).toEqual({ n: 1 });
  });

  it('refuse a magic that is not 8 characters', () => {
    expect(() => encodeHeaded('SHORT', {})).toThrow(/8 characters/);
  });
});
