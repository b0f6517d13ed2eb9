/* eslint-disable @typescript-eslint/no-require-imports -- electron-builder loads this CommonJS file as it is */
// electron-builder afterPack hook: each package keeps only its own platform's Dawn build (dawn.node, 12–22 MB, and
// on Windows the DirectX compilers beside it). A platform-level "files" list cannot say this: electron-builder turns
// it into a second file matcher that copies the whole app again (EEXIST on the first file). Plain CommonJS because
// electron-builder loads it as it is; scripts/builder-config-checks.ts reads the same table.
const { rm } = require('node:fs/promises');
const path = require('node:path');

/** The folders of npm webgpu's dist/ that each Electron platform (process.platform names) loads. */
const DAWN_BUILDS = {
  linux: ['linux-x64', 'linux-arm64'],
  darwin: ['darwin-universal'],
  win32: ['win32-x64', 'win32-arm64'],
};

/** The webgpu dist/ folders a package for `electronPlatformName` leaves out. */
function foreignDawnBuilds(electronPlatformName) {
  const own = DAWN_BUILDS[electronPlatformName];
  if (!own) throw new Error(`after-pack: no Dawn builds known for platform "${electronPlatformName}".`);
  return Object.values(DAWN_BUILDS)
    .flat()
    .filter((dir) => !own.includes(dir));
}

async function afterPack(context) {
  const dist = path.join(context.packager.getResourcesDir(context.appOutDir), 'app', 'node_modules', 'webgpu', 'dist');
  for (const dir of foreignDawnBuilds(context.electronPlatformName))
    await rm(path.join(dist, dir), { recursive: true, force: true });
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.DAWN_BUILDS = DAWN_BUILDS;
module.exports.foreignDawnBuilds = foreignDawnBuilds;
