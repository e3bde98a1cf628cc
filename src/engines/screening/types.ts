/** Public types of the screening engine: queries, hits, explanations and the pluggable Scorer. */
import type { EntitySchema, WatchlistIdentifier } from '../../domain/watchlist.ts';
import type { NameScore, NameScoreExplanation } from './name-scorer.ts';

/** A name scorer: prepares names once, then scores a prepared query against a prepared candidate in [0,1]. */
export interface Scorer<P = unknown> {
  id: string;
  prepare(name: string, schema?: EntitySchema): P;
  score(query: P, candidate: P): NameScore;
}

export interface ScreeningQuery {
  name: string;
  schema?: EntitySchema;
  /** ISO 3166-1 alpha-2. */
  country?: string;
  /** YYYY, YYYY-MM or YYYY-MM-DD. */
  birthDate?: string;
  identifiers?: WatchlistIdentifier[];
}

export interface ScreeningOptions {
  /** Minimum entity score01 of a hit; DEFAULT_MATCH_THRESHOLD when absent. */
  threshold?: number;
  /** Maximum number of hits, best first (default 10). */
  limit?: number;
  /** How many name candidates the index hands to the scorer (default DEFAULT_CANDIDATES, 40). */
  candidates?: number;
}

export type EvidenceFeature =
  | 'identifier-match'
  | 'country-match'
  | 'country-mismatch'
  | 'birth-date-match'
  | 'birth-year-mismatch'
  | 'birth-day-mismatch'
  | 'schema-mismatch'
  | 'weak-alias';

export interface EvidenceAdjustment {
  feature: EvidenceFeature;
  delta: number;
  detail: string;
}

/** Why an entry was hit: the name features of the best alias, then evidence for and against. */
export interface HitExplanation {
  scorer: string;
  name01: number;
  name: NameScoreExplanation;
  evidence: EvidenceAdjustment[];
}

export interface ScreeningHit {
  listName: string;
  sourceId: string;
  schema: EntitySchema;
  entryName: string;
  matchedAlias: string;
  score01: number;
  explanation: HitExplanation;
}

export type { NameScore };
