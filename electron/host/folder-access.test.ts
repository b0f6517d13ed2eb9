import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { confinedTo, fullAccess, isWithin } from './folder-access';
import { nodeHostFs } from './host-fs';

const root = realpathSync(mkdtempSync(join(tmpdir(), 'sagan-access-')));
const home = join(root, 'home');
const away = join(root, 'away');
mkdirSync(join(home, 'a'), { recursive: true });
mkdirSync(away);
mkdirSync(join(root, 'home..x'));
writeFileSync(join(away, 'f.txt'), 'x');
symlinkSync(away, join(home, 'to-away'));
symlinkSync(join(home, 'a'), join(home, 'to-a'));
// A chain of links that do not exist yet, ending outside; and a loop.
symlinkSync(join(home, 'hop2'), join(home, 'hop1'));
symlinkSync(join(away, 'not-yet', 'deeper'), join(home, 'hop2'));
symlinkSync(join(home, 'loop2'), join(home, 'loop1'));
symlinkSync(join(home, 'loop1'), join(home, 'loop2'));
// The root named through a link is taken by its real path.
symlinkSync(home, join(root, 'home-link'));

const access = confinedTo([join(root, 'home-link')], nodeHostFs);

describe('confinedTo', () => {
  it('takes its folders by their real paths', () => {
    expect(access.roots).toEqual([home]);
  });

  it('admits paths inside, existing or not, also through links that stay inside', async () => {
    for (const path of [home, join(home, 'a'), join(home, 'new', 'deeper', 'file'), join(home, 'to-a', 'new.txt')])
      await expect(access.check(path, 'read')).resolves.toBe(path);
    await expect(access.check(join(root, 'home-link', 'a'), 'read')).resolves.toBe(join(root, 'home-link', 'a'));
  });

  it('refuses `..`, siblings that share its name as a prefix, links out, and dangling link chains that lead out', async () => {
    for (const path of [
      join(home, '..', 'away', 'f.txt'),
      join(root, 'home..x'),
      root,
      join(home, 'to-away', 'f.txt'),
      join(home, 'to-away', 'new', 'file'),
      join(home, 'hop1'),
      join(home, 'hop1', 'more'),
    ]) {
      await expect(access.check(path, 'write'), path).rejects.toMatchObject({ code: 'permission' });
      expect(await access.allows(path)).toBe(false);
    }
    await expect(access.check(join(home, 'hop1'), 'write')).rejects.toThrow(
      `Refused to write ${join(home, 'hop1')} (it leads to ${join(away, 'not-yet', 'deeper')}): this web host may only use the folder ${home}. To use another folder, start sagan-studio serve with --dir (documents) or --data-dir (datasets) naming it.`,
    );
  });

  it('refuses a link loop with a message instead of following it', async () => {
    await expect(access.check(join(home, 'loop1', 'x'), 'read')).rejects.toMatchObject({
      code: 'bad-request',
      message: expect.stringContaining('too many symbolic links'),
    });
    expect(await access.allows(join(home, 'loop1'))).toBe(false);
  });

  it('leaves full access (the desktop) unchanged', async () => {
    await expect(fullAccess.check('/etc/passwd', 'read')).resolves.toBe('/etc/passwd');
    expect(fullAccess.roots).toBeUndefined();
  });
});

describe('isWithin', () => {
  it('is the folder itself or below it, never a sibling with a longer name', () => {
    expect(isWithin('/a/b', '/a/b')).toBe(true);
    expect(isWithin('/a/b/c', '/a/b')).toBe(true);
    expect(isWithin('/a/b/..c', '/a/b')).toBe(true);
    expect(isWithin('/a/bc', '/a/b')).toBe(false);
    expect(isWithin('/a', '/a/b')).toBe(false);
    expect(isWithin('/etc', '/')).toBe(true);
  });
});
