/** Score one pair of names of a given schema, for `custos match --pairs` and quality benchmarks. */
import { invalid } from '../../domain/errors.ts';
import { ENTITY_SCHEMAS, type EntitySchema } from '../../domain/watchlist.ts';
import { DEFAULT_MATCH_THRESHOLD, custosScorer } from './custos-scorer.ts';
import type { NameScoreExplanation } from './name-scorer.ts';
import type { Scorer } from './types.ts';

export interface PairMatch {
  score01: number;
  match: boolean;
  explanation: NameScoreExplanation;
}

/** Parse a schema name as written in pair files (Person, Company, Organization, LegalEntity, Vessel...). */
export function parseSchema(value: string): EntitySchema {
  const found = ENTITY_SCHEMAS.find((s) => s.toLowerCase() === value.trim().toLowerCase());
  if (!found)
    throw invalid(`Unknown schema "${value}".`, [
      { path: 'schema', message: `one of ${ENTITY_SCHEMAS.join(', ')}` },
    ]);
  return found;
}

/**
 * Score name1 (the query) against name2 (the candidate) and decide at the threshold.
 * @example matchPair('Company', 'Siemens Aktiengesellschaft', 'Siemens AG') // { score01: 1, match: true, ... }
 */
export function matchPair(
  schema: EntitySchema | string,
  name1: string,
  name2: string,
  threshold = DEFAULT_MATCH_THRESHOLD,
  scorer: Scorer = custosScorer as Scorer,
): PairMatch {
  const s = typeof schema === 'string' ? parseSchema(schema) : schema;
  const r = scorer.score(scorer.prepare(name1, s), scorer.prepare(name2, s));
  return { score01: r.score01, match: r.score01 >= threshold, explanation: r.explanation };
}
