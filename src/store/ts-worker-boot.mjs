// Starts a worker thread from TypeScript source, for tests run by vitest on src/ (the built
// dist/ starts store-worker.js directly and never loads this file): registers the hooks in
// ts-worker-hooks.mjs, then imports the .ts module named in workerData.entry.
import { register } from 'node:module';
import { workerData } from 'node:worker_threads';

register('./ts-worker-hooks.mjs', import.meta.url);
await import(workerData.entry);
