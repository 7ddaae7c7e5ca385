// Starts the TypeScript worker: tsx's loader is registered in this thread first (a
// worker does not inherit the loader hooks of the thread that started it).
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
