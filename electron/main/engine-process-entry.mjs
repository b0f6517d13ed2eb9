// The engine process's entry (utilityProcess.fork): the host and the engine are TypeScript, run through tsx as
// the CLI and the training worker threads do, so their files (and import.meta.url paths) stay where they are.
import { register } from 'tsx/esm/api';

register();
await import('./engine-process-main.ts');
