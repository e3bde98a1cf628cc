/** Baselines a user might pick from npm, behind the engine's Scorer interface so they run in the same benchmark. */
import Fuse from 'fuse.js';
import * as fuzzball from 'fuzzball';
import jaroWinkler from 'talisman/metrics/jaro-winkler.js';
import type { NameScore, Scorer } from '../../../src/engines/screening/index.ts';

const explain = (score01: number): NameScore => ({
  score01: Math.max(0, Math.min(1, score01)),
  explanation: {
    pairs: [],
    unmatchedQuery: [],
    unmatchedCandidate: [],
    alignment01: score01,
    adjustments: [],
  },
});
const simpleTokens = (name: string): string[] =>
  name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);

/** fuse.js (Bitap) over the one candidate; score01 = 1 - Fuse score. Scores of long queries are cut at 32 characters by Bitap. */
export const fuseScorer: Scorer<string> = {
  id: 'fuse.js@7',
  prepare: (name) => name,
  score: (q, c) => {
    const r = new Fuse([c], {
      includeScore: true,
      threshold: 1,
      ignoreLocation: true,
      isCaseSensitive: false,
    }).search(q);
    return explain(r.length ? 1 - (r[0]!.score ?? 1) : 0);
  },
};

/** Token-wise Jaro-Winkler (talisman): each token's best partner on the other side, averaged over both sides. */
export const talismanTokenJwScorer: Scorer<string[]> = {
  id: 'talisman-token-jaro-winkler@1',
  prepare: (name) => simpleTokens(name),
  score: (q, c) => {
    if (!q.length || !c.length) return explain(0);
    const side = (a: string[], b: string[]) =>
      a.reduce((s, x) => s + Math.max(...b.map((y) => jaroWinkler(x, y))), 0) / a.length;
    return explain((side(q, c) + side(c, q)) / 2);
  },
};

/** fuzzball token_set_ratio / 100 (default full_process). */
export const fuzzballTokenSetScorer: Scorer<string> = {
  id: 'fuzzball-token_set_ratio@2',
  prepare: (name) => name,
  score: (q, c) => explain(fuzzball.token_set_ratio(q, c) / 100),
};

export const BASELINES: Scorer[] = [fuseScorer, talismanTokenJwScorer, fuzzballTokenSetScorer] as Scorer[];
