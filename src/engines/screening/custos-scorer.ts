/** The Custos name scorer behind the Scorer interface, and the default decision threshold. */
import type { EntitySchema } from '../../domain/watchlist.ts';
import { type PreparedName, prepareName } from './name-normaliser.ts';
import { scoreNames } from './name-scorer.ts';
import type { Scorer } from './types.ts';

/** Entity score01 at or above which a pair is a match / a screening hit alerts. */
export const DEFAULT_MATCH_THRESHOLD = 0.75;

/** Custos' own scorer: prepared token alignment with numbers and legal forms (see name-scorer.ts). */
export const custosScorer: Scorer<PreparedName> = {
  id: 'custos-v1',
  prepare: (name: string, schema?: EntitySchema) => prepareName(name, schema),
  score: scoreNames,
};
