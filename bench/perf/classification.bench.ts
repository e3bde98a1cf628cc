/** Classification throughput on one core: the case-table profiles classified round-robin; writes bench/results. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { FACT_KEYS, parseItemTechnicalProfile } from '../../src/domain/classification.ts';
import type { ItemTechnicalProfile } from '../../src/domain/classification.ts';
import { classifyItem } from '../../src/engines/classification/classifier.ts';
import { loadClassificationPolicy } from '../../src/importers/control-list/classification-policy.loader.ts';
import { describeMachine } from '../support/machine.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const doc = parseYaml(
  fs.readFileSync(path.join(root, 'test', 'fixtures', 'classification', 'cases.yaml'), 'utf8'),
  { merge: true },
) as {
  cases: { profile: { facts: Record<string, unknown> } & Record<string, unknown> }[];
};
const policy = loadClassificationPolicy();
const complete: ItemTechnicalProfile[] = doc.cases.map((c) =>
  parseItemTechnicalProfile({
    ...c.profile,
    facts: Object.fromEntries(FACT_KEYS.map((k) => [k, c.profile.facts[k] ?? false])),
  }),
);
// As exporters first submit them: only the facts they stated, the rest unknown (every rule undetermined, many questions).
const partial: ItemTechnicalProfile[] = doc.cases.map((c) =>
  parseItemTechnicalProfile({ ...c.profile, facts: c.profile.facts }),
);

/**
 * Runs classifications for at least minMs of wall time on this one thread. Reports wall-clock and CPU-time rates:
 * the machines are shared (load often far above the core count), so CPU time is the steadier figure.
 */
function measure(items: ItemTechnicalProfile[], profileId: string, minMs = 4000) {
  let sink = 0;
  for (let i = 0; i < 5000; i++)
    sink += classifyItem(items[i % items.length]!, policy, { profileId, controlListVersion: 'bench' })
      .questions.length;
  let n = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < minMs) {
    for (let i = 0; i < 500; i++, n++)
      sink += classifyItem(items[n % items.length]!, policy, { profileId, controlListVersion: 'bench' })
        .questions.length;
    t = performance.now();
  }
  const cpu = process.cpuUsage(c0);
  const wallS = (t - t0) / 1000;
  const cpuS = (cpu.user + cpu.system) / 1e6;
  return {
    classifications: n,
    wallSeconds: +wallS.toFixed(3),
    cpuSeconds: +cpuS.toFixed(3),
    perSecondWall: Math.round(n / wallS),
    perSecondCpu: Math.round(n / cpuS),
    meanCpuUs: +((cpuS * 1e6) / n).toFixed(1),
    sink,
  };
}

const runs = {
  legalCompleteFacts: measure(complete, 'legal'),
  broadCompleteFacts: measure(complete, 'broad'),
  broadPartialFacts: measure(partial, 'broad'),
};
const result = {
  benchmark: 'classification throughput, one thread',
  date: new Date().toISOString(),
  machine: describeMachine(),
  policyVersion: policy.policyVersion,
  items: complete.length,
  targetPerSecond: 10000,
  loadAverage1m: +os.loadavg()[0]!.toFixed(2),
  runs: Object.fromEntries(Object.entries(runs).map(([k, { sink: _sink, ...v }]) => [k, v])),
  meetsTargetCpu: Object.values(runs).every((r) => r.perSecondCpu >= 10000),
  meetsTargetWall: Object.values(runs).every((r) => r.perSecondWall >= 10000),
};
const out = path.join(root, 'bench', 'results', 'classification.json');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result, null, 2));
