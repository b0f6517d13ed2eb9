// Worker bootstrap: registers tsx so the TypeScript worker runs without a build step (packaged apps bundle it).
import { register } from 'tsx/esm/api';

register();
await import('./latent-worker.ts');
