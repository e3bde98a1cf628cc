/** Public surface of the screening engine. */
export { DEFAULT_MATCH_THRESHOLD, custosScorer } from './custos-scorer.ts';
export { weighEvidence } from './entity-evidence.ts';
export { type PairMatch, matchPair, parseSchema } from './match-pair.ts';
export {
  type NameKind,
  type NameToken,
  type PreparedName,
  nameKindOf,
  prepareName,
} from './name-normaliser.ts';
export {
  type NameScore,
  type NameScoreExplanation,
  type ScoreAdjustment,
  type TokenPairFeature,
  compareTokens,
  scoreNames,
} from './name-scorer.ts';
export { consonantSkeleton, phoneticKey } from './phonetic-key.ts';
export {
  DEFAULT_CANDIDATES,
  MAX_QUERY_NAME_LENGTH,
  type ScreeningIndex,
  buildScreeningIndex,
  findCandidates,
  screenName,
} from './screening-index.ts';
export { editDistance, editSimilarity, jaroWinkler } from './string-similarity.ts';
export type * from './types.ts';
