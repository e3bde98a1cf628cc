/** Free-text search quality: is the expected Annex I entry in the top 3 for each description? Writes bench/results. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildControlListIndex,
  searchControlList,
} from '../../../src/engines/classification/control-list-search.ts';
import type { ControlListIndex } from '../../../src/engines/classification/control-list-search.ts';
import { loadSearchVocabulary } from '../../../src/importers/control-list/classification-policy.loader.ts';
import { importControlListFile } from '../../../src/importers/control-list/control-list.importer.ts';
import { hasShared, sharedPath } from '../../../test/support/shared.ts';
import { FREE_TEXT_CASES } from './free-text-cases.ts';
import { describeMachine } from '../../support/machine.ts';

const FILE = ['data', 'control-list', 'reg_2021_821_consolidated.md'];
if (!hasShared(...FILE)) {
  console.error(`SKIPPED: ${sharedPath(...FILE)} is missing`);
  process.exit(2);
}
const list = importControlListFile(sharedPath(...FILE));
const vocabulary = loadSearchVocabulary();

function evaluate(index: ControlListIndex) {
  let top1 = 0;
  let top3 = 0;
  let rr = 0;
  const misses: { description: string; expected: string[]; got: string[] }[] = [];
  const t0 = performance.now();
  for (const c of FREE_TEXT_CASES) {
    const hits = searchControlList(index, c.description, 10);
    const ok = (code: string) => c.expected.some((e) => code === e || code.startsWith(`${e}.`));
    const rank = hits.findIndex((h) => ok(h.code));
    if (rank === 0) top1++;
    if (rank >= 0 && rank < 3) top3++;
    else
      misses.push({
        description: c.description,
        expected: c.expected,
        got: hits.slice(0, 3).map((h) => h.code),
      });
    if (rank >= 0) rr += 1 / (rank + 1);
  }
  const ms = performance.now() - t0;
  const n = FREE_TEXT_CASES.length;
  return {
    queries: n,
    top1,
    top3,
    top3Rate01: +(top3 / n).toFixed(3),
    top1Rate01: +(top1 / n).toFixed(3),
    mrrAt10: +(rr / n).toFixed(3),
    meanQueryMs: +(ms / n).toFixed(3),
    misses,
  };
}

const t0 = performance.now();
const withVocabulary = buildControlListIndex(list.entries, vocabulary);
const buildMs = performance.now() - t0;
const result = {
  benchmark: 'classification free-text search (top 3)',
  date: new Date().toISOString(),
  machine: describeMachine(),
  controlListVersion: list.listVersion,
  vocabularyVersion: vocabulary.version,
  entriesIndexed: list.entries.length,
  indexBuildMs: +buildMs.toFixed(1),
  note: 'Descriptions and vocabulary were written by the same author: the vocabulary figure is optimistic; the plain BM25 figure shows the text alone.',
  withVocabulary: evaluate(withVocabulary),
  plainBm25: evaluate(buildControlListIndex(list.entries, null)),
};
const out = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'results',
  'classification-free-text.json',
);
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
console.log(
  JSON.stringify(
    {
      ...result,
      withVocabulary: { ...result.withVocabulary, misses: result.withVocabulary.misses.length },
      plainBm25: { ...result.plainBm25, misses: result.plainBm25.misses.length },
    },
    null,
    2,
  ),
);
