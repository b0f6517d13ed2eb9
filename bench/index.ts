// `npm run bench -- NAME [args]` runs bench/NAME.ts; without a name it lists the benchmarks.
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const names = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
  .map((f) => f.slice(0, -3));
const [name] = process.argv.slice(2);
if (!name || !names.includes(name)) {
  console.log(`Benchmarks: ${names.join(', ')}\nRun one with: npm run bench -- NAME`);
  process.exit(name ? 2 : 0);
}
process.argv.splice(2, 1);
await import(pathToFileURL(`${here}/${name}.ts`).href);
