/** Worker thread of bulk screening: builds the index once from workerData, then screens batches on request. */
import { parentPort, workerData } from 'node:worker_threads';
import { buildScreeningIndex } from '../../engines/screening/index.ts';
import { type WorkerInit, type WorkerReply, type WorkerRequest, screenBatch } from './bulk-screen.ts';

const port = parentPort;
if (!port) throw new Error('bulk-screen.worker must run as a worker thread');
const init = workerData as WorkerInit;
try {
  const t0 = performance.now();
  const index = buildScreeningIndex(init.entries, init.listNames);
  port.postMessage({ kind: 'ready', indexBuildMs: performance.now() - t0 } satisfies WorkerReply);
  port.on('message', (m: WorkerRequest) => {
    if (m.kind === 'stop') {
      port.close();
      return;
    }
    port.postMessage({
      kind: 'batch',
      rows: screenBatch(index, m.start, m.queries, init.options),
    } satisfies WorkerReply);
  });
} catch (error) {
  port.postMessage({
    kind: 'failed',
    message: error instanceof Error ? error.message : String(error),
  } satisfies WorkerReply);
}
