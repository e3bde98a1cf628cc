/**
 * Bulk screening's memory as `custos screen --file` runs it: this process only loads the lists (no index on the main
 * thread), then screens BULK_N negatives on BULK_WORKERS worker threads; peak RSS of the whole process and CPU time.
 * Run: node --expose-gc --import tsx bench/perf/screening-bulk-memory.bench.ts   (BULK_N, BULK_WORKERS)
 * Writes bench/results/screening-bulk-memory.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { screenInBulk } from '../../src/services/screening/bulk-screen.ts';
import { sharedPath } from '../../test/support/shared.ts';
import { loadCsl2023, loadOfac2021, loadUnList } from '../quality/screening/bench-lists.ts';
import { describeMachine } from '../support/machine.ts';

const BULK_N = Number(process.env.BULK_N ?? 20_000);
const BULK_WORKERS = Number(process.env.BULK_WORKERS ?? 2);
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const rssMb = () => process.memoryUsage().rss / 2 ** 20;

const started = new Date();
const loadStart = os.loadavg();
const lists = [await loadUnList(), await loadOfac2021(), loadCsl2023()];
(globalThis as { gc?: () => void }).gc?.();
const rssListsMb = rssMb();
const negatives = (
  parse(fs.readFileSync(sharedPath('bench', 'screening', 'yente_cgb_negatives_global.csv')), {
    columns: true,
    skip_empty_lines: true,
  }) as { full_name: string }[]
).map((r) => r.full_name);
const queries = Array.from({ length: BULK_N }, (_, i) => ({ name: negatives[i % negatives.length]! }));
let peak = rssMb();
const sampler = setInterval(() => (peak = Math.max(peak, rssMb())), 200);
const c0 = process.cpuUsage();
const t0 = performance.now();
const bulk = await screenInBulk({
  lists,
  queries,
  workers: BULK_WORKERS,
  batchSize: 500,
  onProgress: () => (peak = Math.max(peak, rssMb())),
});
clearInterval(sampler);
const cpu = process.cpuUsage(c0);
const result = {
  benchmark: 'screening-bulk-memory',
  date: started.toISOString(),
  machine: { ...describeMachine(), loadAverageAtStart: loadStart.map((x) => round(x, 2)) },
  note: 'One process as the CLI runs it: lists on the main thread, the index built once by the first worker and shared packed with the others. CPU includes worker start-up (TypeScript loading), the index build and unpacking.',
  queries: BULK_N,
  workers: bulk.workers,
  rssAfterListsMb: round(rssListsMb),
  peakRssMb: round(peak),
  elapsedS: round((performance.now() - t0) / 1000, 2),
  processCpuS: round((cpu.user + cpu.system) / 1e6, 2),
  indexBuildsMs: bulk.indexBuildMs.map((x) => round(x)),
  perWorkerIndexReadyMs: bulk.indexReadyMs.map((x) => round(x)),
  queriesWithHits: bulk.rows.filter((r) => r.hits.length > 0).length,
  targets: { rssMb: 500 },
};
const out = path.resolve(import.meta.dirname, '..', 'results', 'screening-bulk-memory.json');
fs.writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
console.log(JSON.stringify(result, null, 1));
