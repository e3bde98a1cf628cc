/**
 * Worker thread of bulk screening: gets its index (builds it and shares it packed with the other workers, unpacks
 * the caller's packed index, or waits for the builder's on a port), then screens batches on request.
 */
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { type ScreeningIndex, buildScreeningIndex } from '../../engines/screening/index.ts';
import { type WorkerInit, type WorkerReply, type WorkerRequest, screenBatch } from './bulk-screen.ts';
import { type PackedScreeningIndex, packScreeningIndex, unpackScreeningIndex } from './packed-index.ts';

const port = parentPort;
if (!port) throw new Error('bulk-screen.worker must run as a worker thread');
const init = workerData as WorkerInit;
const started = performance.now();

const fail = (error: unknown) =>
  port.postMessage({
    kind: 'failed',
    message: error instanceof Error ? error.message : String(error),
  } satisfies WorkerReply);

function serve(index: ScreeningIndex, indexBuildMs?: number): void {
  port!.postMessage({
    kind: 'ready',
    ...(indexBuildMs !== undefined && { indexBuildMs }),
    indexReadyMs: performance.now() - started,
  } satisfies WorkerReply);
  port!.on('message', (m: WorkerRequest) => {
    if (m.kind === 'stop') {
      port!.close();
      return;
    }
    port!.postMessage({
      kind: 'batch',
      rows: screenBatch(index, m.start, m.queries, init.options),
    } satisfies WorkerReply);
  });
}

try {
  const source = init.source;
  if (source.kind === 'build') {
    const t0 = performance.now();
    const index = buildScreeningIndex(source.entries, source.listNames);
    const buildMs = performance.now() - t0;
    if (source.shareWith.length > 0) {
      const packed = packScreeningIndex(index);
      for (const p of source.shareWith) {
        p.postMessage(packed);
        p.close();
      }
    }
    serve(index, buildMs);
  } else if (source.kind === 'packed') serve(unpackScreeningIndex(source.index));
  else {
    const from: MessagePort = source.port;
    let received = false;
    from.once('close', () => {
      if (!received) fail(new Error('the index builder closed its channel without an index'));
    });
    from.once('message', (packed: PackedScreeningIndex) => {
      received = true;
      from.close();
      try {
        serve(unpackScreeningIndex(packed));
      } catch (error) {
        fail(error);
      }
    });
  }
} catch (error) {
  fail(error);
}
