/**
 * Runs the benchmarks: every bench/perf/*.bench.ts and bench/quality/<name>/run.ts, one after the other, each in its
 * own process. Results are written by each benchmark to bench/results/<name>.json (machine and date included).
 *   npm run bench                 all of them
 *   npm run bench -- screening    only those whose path contains "screening"
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const filters = process.argv.slice(2);
const perf = fs.existsSync(path.join(root, 'bench/perf'))
  ? fs
      .readdirSync(path.join(root, 'bench/perf'))
      .filter((f) => f.endsWith('.bench.ts'))
      .map((f) => `bench/perf/${f}`)
  : [];
const qualityDir = path.join(root, 'bench/quality');
const quality = fs.existsSync(qualityDir)
  ? fs
      .readdirSync(qualityDir)
      .map((d) => `bench/quality/${d}/run.ts`)
      .filter((f) => fs.existsSync(path.join(root, f)))
  : [];
const selected = [...perf, ...quality].filter(
  (f) => filters.length === 0 || filters.some((x) => f.includes(x)),
);
if (selected.length === 0) {
  console.error(`No benchmark matches ${filters.join(', ')}.`);
  process.exit(2);
}
let failed = 0;
for (const file of selected) {
  console.log(`\n=== ${file}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', file], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.error(`${file} exited with ${r.status}`);
  }
}
process.exit(failed ? 1 : 0);
