/**
 * Assessment benchmark: time to import the human-rights reference (five datasets, 250 profiles) and throughput of
 * assessApplication over the scenario set and of renderAssessmentMemo. Run: npx tsx bench/perf/assessment.bench.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenarios } from '../../test/fixtures/assessment/scenario-loader.ts';
import { assessApplication } from '../../src/engines/assessment/assess-application.ts';
import { renderAssessmentMemo } from '../../src/engines/assessment/assessment-memo.ts';
import {
  importHumanRightsReference,
  locateHumanRightsFiles,
} from '../../src/importers/human-rights/human-rights-reference.ts';
import {
  loadAssessmentModel,
  loadRestrictiveMeasures,
} from '../../src/importers/human-rights/policy-loader.ts';
import { describeMachine } from '../support/machine.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const shared = path.resolve(process.env.CUSTOS_SHARED_DIR ?? path.join(root, '..', 'shared'));
const ms = (t0: number): number => Math.round((performance.now() - t0) * 100) / 100;

const model = loadAssessmentModel();
const scenarios = loadScenarios();
const measures = loadRestrictiveMeasures();
const results: Record<string, unknown> = {};

if (fs.existsSync(path.join(shared, 'data', 'human-rights'))) {
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    importHumanRightsReference(locateHumanRightsFiles(path.join(shared, 'data')));
    runs.push(ms(t0));
  }
  results.importReferenceMs = { runs, min: Math.min(...runs) };
} else {
  results.importReferenceMs = `skipped: ${shared}/data/human-rights missing`;
}

const reference = { version: 'bench', measures: measures.measures, profiles: {} };
for (const s of scenarios) assessApplication(s.input, model, reference); // warm-up
const rounds = 20;
let t0 = performance.now();
for (let r = 0; r < rounds; r++) for (const s of scenarios) assessApplication(s.input, model, reference);
const assessTotal = ms(t0);
const assessments = scenarios.map((s) => assessApplication(s.input, model, reference));
t0 = performance.now();
for (let r = 0; r < rounds; r++) for (const a of assessments) renderAssessmentMemo(a, { lang: 'en' });
const memoTotal = ms(t0);
const n = rounds * scenarios.length;
results.assessApplication = {
  calls: n,
  totalMs: assessTotal,
  perCallMs: Math.round((assessTotal / n) * 1000) / 1000,
};
results.renderAssessmentMemo = {
  calls: n,
  totalMs: memoTotal,
  perCallMs: Math.round((memoTotal / n) * 1000) / 1000,
};

const out = {
  name: 'assessment',
  date: new Date().toISOString(),
  machine: describeMachine(),
  scenarios: scenarios.length,
  modelVersion: model.version,
  results,
};
fs.mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
fs.writeFileSync(path.join(root, 'bench', 'results', 'assessment.json'), `${JSON.stringify(out, null, 2)}\n`);
console.log(JSON.stringify(out, null, 2));
