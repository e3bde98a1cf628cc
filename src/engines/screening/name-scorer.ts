/** Name-to-name score in [0,1] with its explanation: token alignment, then evidence from numbers and legal forms. */
import type { NameToken, PreparedName } from './name-normaliser.ts';
import { consonantSkeleton } from './phonetic-key.ts';
import { areGivenNameVariants } from './given-name-variants.ts';
import { allowedEdits, editDistance } from './string-similarity.ts';

export type TokenMatchHow =
  | 'exact'
  | 'edit'
  | 'phonetic'
  | 'initial'
  | 'skeleton'
  | 'joined'
  | 'nickname'
  | 'ending'
  | 'anagram'
  | 'acronym';

export interface TokenPairFeature {
  query: string;
  candidate: string;
  how: TokenMatchHow;
  similarity01: number;
  weight: number;
}

export interface ScoreAdjustment {
  feature:
    | 'number-mismatch'
    | 'number-one-sided'
    | 'legal-form-conflict'
    | 'legal-form-family'
    | 'legal-form-one-sided'
    | 'no-distinctive-token'
    | 'initial-conflict'
    | 'conflicting-words';
  delta: number;
  detail: string;
}

/** Why two names scored as they did: aligned token pairs, tokens left over, and adjustments, all as data. */
export interface NameScoreExplanation {
  pairs: TokenPairFeature[];
  unmatchedQuery: string[];
  unmatchedCandidate: string[];
  /** Score from the alignment alone. */
  alignment01: number;
  adjustments: ScoreAdjustment[];
  /** Set when a name is written as alternatives ("X/Y"): the parts that were scored against each other. */
  alternative?: { query: string; candidate: string };
}

export interface NameScore {
  score01: number;
  explanation: NameScoreExplanation;
}

/** Weight an unmatched token costs on the query side, by kind (the candidate side costs a fifth of it). */
const MISS_WEIGHT: Record<NameToken['kind'], number> = {
  word: 1,
  initial: 0.5,
  number: 0,
  stop: 0.15,
  generic: 0.7,
  place: 0.1,
};
const CANDIDATE_MISS_FACTOR = 0.2;
const MIN_TOKEN_SIMILARITY = 0.5;
/** An acronym equal to the initials of the other name's words: strong, but other names share those initials. */
const ACRONYM_SIMILARITY = 0.85;
/**
 * Each name keeps a distinctive word the other lacks ("Al-Qaida in Iraq" / "... in the Arabian Peninsula"): the
 * leftovers are then a disagreement, not an omission.
 */
const CONFLICT_PENALTY = 0.15;
/** A hypocorism is good but not full evidence: the short form may belong to another name too. */
const NICKNAME_SIMILARITY = 0.82;

interface Unit {
  from: number;
  to: number; // exclusive
  text: string;
  weight: number;
  /** The unit's first token (its only one when the span is 1). */
  first: NameToken;
  /** The tokens' texts joined by spaces, as an explanation shows them. */
  label: string;
  /** Some token was written in an abjad (has a consonant skeleton). */
  abjad: boolean;
  /** Consonant skeleton of `text`, computed when first needed. */
  skeleton?: string;
}

function tokenMissWeight(t: NameToken): number {
  return t.kind === 'word' ? t.weight * MISS_WEIGHT.word : MISS_WEIGHT[t.kind];
}

/**
 * Similarity of two token texts in [0,1] and how it was found; 0 when they are different words. Symmetric.
 * @example compareTokens(a('scholz'), a('scholze')).similarity01 // ≈ 0.857
 */
export function compareTokens(a: NameToken, b: NameToken): { similarity01: number; how: TokenMatchHow } {
  if (a.text === b.text) return { similarity01: 1, how: 'exact' };
  if (a.kind === 'number' || b.kind === 'number') return { similarity01: 0, how: 'exact' };
  if (a.kind === 'initial' || b.kind === 'initial') {
    const [init, other] = a.kind === 'initial' ? [a, b] : [b, a];
    if (other.kind !== 'initial' && other.text.startsWith(init.text))
      return { similarity01: 0.75, how: 'initial' };
    return { similarity01: 0, how: 'initial' };
  }
  const compared = compareTexts(
    a.text,
    b.text,
    a.key,
    b.key,
    a.skeleton ?? (b.skeleton ? consonantSkeleton(a.text) : undefined),
    b.skeleton ?? (a.skeleton ? consonantSkeleton(b.text) : undefined),
    a.syllabic === true || b.syllabic === true,
  );
  // spelled as another transliteration writes it ("saeed" / "said", "noor" / "nur", "tchaikovsky" / "chaykovskiy")
  if (compared.similarity01 < SAME_FOLDED && a.folded !== undefined && a.folded === b.folded)
    return { similarity01: SAME_FOLDED, how: 'edit' };
  // A short word of an abjad whose long vowels fall where the other spelling has them ("ly", علي, and "ali") is
  // better evidence than the consonant alone.
  if (compared.how === 'skeleton' && compared.similarity01 < VOCALISED) {
    const [abjad, other] = a.skeleton !== undefined ? [a, b] : [b, a];
    if (abjad.skeleton !== undefined && other.skeleton === undefined && vocalises(abjad.text, other.text))
      return { similarity01: VOCALISED, how: 'skeleton' };
  }
  return compared;
}

/** Similarity of two words spelled the same once folded (`foldSpelling`). */
const SAME_FOLDED = 0.9;

/** Similarity of a short abjad word to a spelling that vocalises it (see `vocalises`). */
const VOCALISED = 0.8;
const vocalisations = new Map<string, RegExp>();

/**
 * Whether `latin` can be read as the transliterated abjad word `abjad` with its short vowels written: the same
 * consonants in order (doubled or not), the long vowels y and w as i/ee/ey or u/oo/ou/o, any short vowels between
 * them and one at the start (a dropped ayn, alif or hamza). Only words of at most four letters with a long vowel
 * after their first letter are read so: without one, the consonants alone say where no vowel is ("mr" is Omar, Amr or
 * Mir).
 * @example vocalises('ly', 'ali') // true
 * @example vocalises('ly', 'lia') // false: the final long vowel would be "a"
 * @example vocalises('mr', 'omar') // false: no long vowel to place
 */
export function vocalises(abjad: string, latin: string): boolean {
  if (abjad.length > 4 || !/^[a-z]+$/.test(abjad) || !/[yw]/.test(abjad.slice(1))) return false;
  let pattern = vocalisations.get(abjad);
  if (pattern === undefined) {
    const parts = [...abjad].map((c) =>
      c === 'y' ? '(?:i|ee|ie|ey|y|ei)' : c === 'w' ? '(?:u|oo|ou|o|w)' : `${c}+`,
    );
    pattern = new RegExp(`^[aeiou]?${parts.join('[aeiou]?')}$`);
    vocalisations.set(abjad, pattern);
  }
  return pattern.test(latin);
}

function compareTexts(
  a: string,
  b: string,
  keyA: string,
  keyB: string,
  skelA?: string,
  skelB?: string,
  syllabic = false,
): { similarity01: number; how: TokenMatchHow } {
  let best = 0;
  let how: TokenMatchHow = 'edit';
  const longer = Math.max(a.length, b.length);
  const shorter = Math.min(a.length, b.length);
  // a romanised syllable ("cheng", "sheng") that differs by a letter is another syllable: no edit tolerance
  const budget = syllabic ? 0 : allowedEdits(shorter);
  if (longer - shorter <= budget) {
    const d = editDistance(a, b, budget);
    // a partial token match is weak evidence: similarity below 1 is squared; but letters that transliterations
    // and typists confuse ("usama" / "osama", "qaida" / "qaeda": under one edit in all) are spelling variants
    if (d <= budget) best = d < 1 ? 1 - d / longer : (1 - d / longer) ** 2;
  }
  if (best < 0.93 && longer > 2 && sameSqueezed(a, b)) best = 0.93; // repeated letters: "joonng", "basharr"
  // a final -s added (Baltic nominative "Lavrovs", a plural): the same word with an inflected ending
  // ("Sergejs" / "Sergey": the stem may differ by confusable letters too)
  if (!syllabic && best < 0.9 && shorter >= 4 && longer === shorter + 1) {
    const [s, l] = a.length < b.length ? [a, b] : [b, a];
    if (l.endsWith('s')) {
      const stem = l.startsWith(s)
        ? 0
        : l.charCodeAt(0) === s.charCodeAt(0)
          ? editDistance(s, l.slice(0, -1), 1)
          : 1;
      if (stem < 1 && 0.9 * (1 - stem / shorter) > best) {
        best = 0.9 * (1 - stem / shorter);
        how = 'ending';
      }
    }
  }
  // the same letters in another order ("nitpu" / "putin"): scrambled typing, weaker than an edit
  if (!syllabic && best < 0.7 && shorter >= 5 && longer === shorter && sameLetters(a, b)) {
    best = 0.7;
    how = 'anagram';
  }
  if (!syllabic && keyA.length >= 3 && keyA === keyB && best < 0.6) {
    best = 0.6;
    how = 'phonetic';
  }
  if (skelA !== undefined && skelB !== undefined) {
    // names written without short vowels: compare consonant skeletons; short skeletons say little
    const ls = Math.max(skelA.length, skelB.length);
    let s = 0;
    if (skelA === skelB) s = ls >= 3 ? 0.85 : ls === 2 ? 0.7 : shorter <= 3 ? 0.6 : 0;
    else if (ls >= 4 && Math.abs(skelA.length - skelB.length) <= 1 && editDistance(skelA, skelB, 1) <= 1)
      s = 0.7;
    if (s > best) {
      best = s;
      how = 'skeleton';
    }
  }
  return best >= MIN_TOKEN_SIMILARITY ? { similarity01: best, how } : { similarity01: 0, how };
}

/** The same multiset of letters (a sum of codes and of their squares rejects most pairs before any sort). */
function sameLetters(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let sum = 0;
  let squares = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    sum += x - y;
    squares += x * x - y * y;
  }
  if (sum !== 0 || squares !== 0) return false;
  return [...a].sort().join('') === [...b].sort().join('');
}

/** Equal once runs of one letter are collapsed ("joonng" ~ "jong"), without allocating. */
function sameSqueezed(a: string, b: string): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const c = a.charCodeAt(i);
    if (c !== b.charCodeAt(j)) return false;
    while (i < a.length && a.charCodeAt(i) === c) i++;
    while (j < b.length && b.charCodeAt(j) === c) j++;
  }
  return i === a.length && j === b.length;
}

/**
 * Units of a prepared name's tokens (single tokens, and runs joined up to `maxSpan`). With `keep`, they stay on the
 * (immutable) token list under a symbol, which is neither cloned nor serialised: a query's units are built once, not
 * once per candidate. A list entry's are not kept: kept, they cost ~220 MB more peak RSS in a bulk run for a few per
 * cent of speed (docs/screening.md, "Figures").
 */
const UNITS = Symbol('units');
type WithUnits = NameToken[] & { [UNITS]?: Unit[][] };

function unitsOf(tokens: WithUnits, maxSpan: number, keep: boolean): Unit[] {
  const bySpan = tokens[UNITS];
  let units = bySpan?.[maxSpan];
  if (units !== undefined) return units;
  units = [];
  for (let i = 0; i < tokens.length; i++) {
    const first = tokens[i]!;
    units.push({
      from: i,
      to: i + 1,
      text: first.text,
      weight: first.weight,
      first,
      label: first.text,
      abjad: first.skeleton !== undefined,
    });
    for (let span = 2; span <= maxSpan && i + span <= tokens.length; span++) {
      const slice = tokens.slice(i, i + span);
      if (slice.some((t) => t.kind === 'number' || t.kind === 'initial')) break;
      units.push({
        from: i,
        to: i + span,
        text: slice.map((t) => t.text).join(''),
        weight: slice.reduce((s, t) => s + t.weight, 0) / Math.sqrt(span),
        first,
        label: slice.map((t) => t.text).join(' '),
        abjad: slice.some((t) => t.skeleton !== undefined),
      });
    }
  }
  if (keep) (tokens[UNITS] ??= [])[maxSpan] = units;
  return units;
}

function unitSkeleton(u: Unit): string {
  return (u.skeleton ??= consonantSkeleton(u.text));
}

function compareUnits(q: Unit, c: Unit): { similarity01: number; how: TokenMatchHow } {
  if (q.to - q.from === 1 && c.to - c.from === 1) return compareTokens(q.first, c.first);
  if (q.text === c.text) return { similarity01: 0.97, how: 'joined' };
  if (q.to - q.from > 1 && c.to - c.from > 1) return { similarity01: 0, how: 'joined' };
  const abjad = q.abjad || c.abjad;
  const r = compareTexts(
    q.text,
    c.text,
    '',
    '',
    abjad ? unitSkeleton(q) : undefined,
    abjad ? unitSkeleton(c) : undefined,
  );
  return r.similarity01 >= 0.64
    ? { similarity01: r.similarity01 * 0.97, how: 'joined' }
    : { similarity01: 0, how: 'joined' };
}

const NO_FAMILY: ReadonlySet<string> = new Set();

function familyOf(forms: PreparedName['legalForms']): ReadonlySet<string> {
  if (forms.length === 0) return NO_FAMILY;
  return new Set(forms.filter((f) => f.family !== 'generic').map((f) => f.family));
}

/**
 * Score a query name against a candidate name. Not symmetric: words the query has and the candidate lacks cost more
 * than the reverse (a list entry often carries more name parts than a screened party gives).
 * @example scoreNames(prepareName('Olaf Scholze', 'Person'), prepareName('Olaf Scholz', 'Person')).score01 // ≈ 0.92
 */
export function scoreNames(query: PreparedName, candidate: PreparedName): NameScore {
  let best = scoreOne(query, candidate);
  if (query.alternatives === undefined && candidate.alternatives === undefined) return best;
  for (const q of [query, ...(query.alternatives ?? [])])
    for (const c of [candidate, ...(candidate.alternatives ?? [])]) {
      if ((q === query && c === candidate) || q.tokens.length === 0 || c.tokens.length === 0) continue;
      const r = scoreOne(q, c);
      if (r.score01 > best.score01) {
        r.explanation.alternative = { query: q.original, candidate: c.original };
        best = r;
      }
    }
  return best;
}

const DISAGREEING_KINDS: ReadonlySet<NameToken['kind']> = new Set(['word', 'place', 'generic']);

/**
 * Pair a leftover token of one name that is an acronym of a run of leftover words of the other ("PLA" / "People's
 * Liberation Army"); particles inside the run may count or not ("BoE" / "Bank of England" both ways).
 */
function pairAcronyms(
  short: NameToken[],
  usedShort: Uint8Array,
  long: NameToken[],
  usedLong: Uint8Array,
  shortIsQuery: boolean,
  pairs: TokenPairFeature[],
): void {
  for (let a = 0; a < short.length; a++) {
    const t = short[a]!;
    if (usedShort[a] || t.kind !== 'word' || t.text.length > 8) continue;
    const first = t.text.charCodeAt(0);
    for (let i = 0; i < long.length && !usedShort[a]; i++) {
      if (usedLong[i] || long[i]!.text.charCodeAt(0) !== first) continue;
      let all = '';
      let content = '';
      let contentCount = 0;
      for (let j = i; j < long.length && !usedLong[j]; j++) {
        const w = long[j]!;
        if (w.kind === 'number' || w.kind === 'initial') break;
        all += w.text[0];
        if (w.kind !== 'stop') {
          content += w.text[0];
          contentCount++;
        }
        if (contentCount >= 2 && w.kind !== 'stop' && (all === t.text || content === t.text)) {
          const run = long.slice(i, j + 1);
          for (let k = i; k <= j; k++) usedLong[k] = 1;
          usedShort[a] = 1;
          const runText = run.map((x) => x.text).join(' ');
          const weight = (t.weight + run.reduce((x, y) => x + y.weight, 0) / Math.sqrt(run.length)) / 2;
          pairs.push({
            query: shortIsQuery ? t.text : runText,
            candidate: shortIsQuery ? runText : t.text,
            how: 'acronym',
            similarity01: ACRONYM_SIMILARITY,
            weight: round(weight),
          });
          break;
        }
        if (!t.text.startsWith(content) && !t.text.startsWith(all)) break;
      }
    }
  }
}

function scoreOne(query: PreparedName, candidate: PreparedName): NameScore {
  const qt = query.tokens;
  const ct = candidate.tokens;
  const pairs: TokenPairFeature[] = [];
  const usedQ = new Uint8Array(qt.length);
  const usedC = new Uint8Array(ct.length);
  // hypocorisms ("Bill" / "William") only between person names (or a name of unknown kind and a person's)
  const persons = query.kind !== 'organisation' && candidate.kind !== 'organisation';
  if (qt.length > 0 && ct.length > 0) {
    const maxSpan = qt.length !== ct.length || qt.length <= 4 ? 3 : 1;
    const qu = unitsOf(qt, maxSpan, true);
    const cu = unitsOf(ct, maxSpan, false);
    const options: { q: Unit; c: Unit; sim: number; how: TokenMatchHow; w: number }[] = [];
    for (const q of qu) {
      for (const c of cu) {
        if (q.to - q.from > 1 && c.to - c.from > 1 && q.text !== c.text) continue;
        let { similarity01, how } = compareUnits(q, c);
        if (
          similarity01 < NICKNAME_SIMILARITY &&
          persons &&
          q.to - q.from === 1 &&
          c.to - c.from === 1 &&
          areGivenNameVariants(q.text, c.text)
        ) {
          similarity01 = NICKNAME_SIMILARITY;
          how = 'nickname';
        }
        if (similarity01 > 0) options.push({ q, c, sim: similarity01, how, w: (q.weight + c.weight) / 2 });
      }
    }
    options.sort((x, y) => y.sim - x.sim || y.w - x.w);
    for (const o of options) {
      let free = true;
      for (let i = o.q.from; i < o.q.to && free; i++) if (usedQ[i]) free = false;
      for (let i = o.c.from; i < o.c.to && free; i++) if (usedC[i]) free = false;
      if (!free) continue;
      for (let i = o.q.from; i < o.q.to; i++) usedQ[i] = 1;
      for (let i = o.c.from; i < o.c.to; i++) usedC[i] = 1;
      pairs.push({
        query: o.q.label,
        candidate: o.c.label,
        how: o.how,
        similarity01: round(o.sim),
        weight: round(o.w),
      });
    }
  }
  // acronyms, between names of organisations only (a person's initials are handled as initials)
  if (
    query.kind !== 'person' &&
    candidate.kind !== 'person' &&
    (query.kind === 'organisation' || candidate.kind === 'organisation')
  ) {
    const leftQ = qt.length - usedQ.reduce((x, y) => x + y, 0);
    const leftC = ct.length - usedC.reduce((x, y) => x + y, 0);
    if (leftQ >= 1 && leftC >= 2) pairAcronyms(qt, usedQ, ct, usedC, true, pairs);
    if (leftC >= 1 && leftQ >= 2) pairAcronyms(ct, usedC, qt, usedQ, false, pairs);
  }
  let matched = 0;
  let total = 0;
  let distinctive = false;
  for (const p of pairs) {
    matched += p.weight * p.similarity01;
    total += p.weight;
  }
  const unmatchedQuery: string[] = [];
  const unmatchedCandidate: string[] = [];
  let candidateDistinctiveMissed = false;
  let queryInitialLeft = false;
  let candidateHasWord = false;
  let candidateNameLeft = false;
  const queryDisagreeing: string[] = [];
  const candidateDisagreeing: string[] = [];
  qt.forEach((t, i) => {
    if (usedQ[i]) {
      if (t.kind === 'word' || t.kind === 'number') distinctive = true;
    } else {
      unmatchedQuery.push(t.text);
      total += tokenMissWeight(t);
      if (t.kind === 'initial') queryInitialLeft = true;
      if (DISAGREEING_KINDS.has(t.kind)) queryDisagreeing.push(t.text);
    }
  });
  ct.forEach((t, i) => {
    if (t.kind === 'word') candidateHasWord = true;
    if (!usedC[i]) {
      if (t.kind === 'word' || t.kind === 'initial') candidateNameLeft = true;
      unmatchedCandidate.push(t.text);
      total += tokenMissWeight(t) * CANDIDATE_MISS_FACTOR;
      if (t.kind === 'word') candidateDistinctiveMissed = true;
      if (DISAGREEING_KINDS.has(t.kind)) candidateDisagreeing.push(t.text);
    }
  });
  let alignment = total > 0 ? matched / total : query.normalised === candidate.normalised ? 1 : 0;
  const adjustments: ScoreAdjustment[] = [];
  // initials, particles and generic words alone never identify anyone
  if (!distinctive && (candidateDistinctiveMissed || candidateHasWord) && pairs.length > 0) {
    adjustments.push({
      feature: 'no-distinctive-token',
      delta: -alignment / 2,
      detail: 'only initials, particles or generic words matched',
    });
  }
  // an initial of the query that fits none of the candidate's remaining names is a different person ("William G." vs "William W.")
  if (queryInitialLeft && candidateNameLeft && query.kind !== 'organisation') {
    adjustments.push({
      feature: 'initial-conflict',
      delta: -0.15,
      detail: 'an initial matches none of the other names',
    });
  }
  // each name keeps a word the other lacks: a different qualifier or name part, not one left out
  if (queryDisagreeing.length > 0 && candidateDisagreeing.length > 0 && pairs.length > 0) {
    adjustments.push({
      feature: 'conflicting-words',
      delta: -CONFLICT_PENALTY,
      detail: `${queryDisagreeing.join(' ')} vs ${candidateDisagreeing.join(' ')}`,
    });
  }
  // numbers must agree
  const qn = new Set(query.numbers);
  const cn = new Set(candidate.numbers);
  if (qn.size > 0 && cn.size > 0) {
    const same = qn.size === cn.size && [...qn].every((n) => cn.has(n));
    if (!same)
      adjustments.push({
        feature: 'number-mismatch',
        delta: -0.35,
        detail: `${[...qn].join(',')} vs ${[...cn].join(',')}`,
      });
  } else if (qn.size + cn.size > 0) {
    adjustments.push({
      feature: 'number-one-sided',
      delta: -0.3,
      detail: `only one name has ${[...qn, ...cn].join(',')}`,
    });
  }
  // legal forms
  const qf = familyOf(query.legalForms);
  const cf = familyOf(candidate.legalForms);
  if (qf.size > 0 && cf.size > 0) {
    const codesQ = new Set(query.legalForms.map((f) => f.code));
    const sharedCode = candidate.legalForms.some((f) => f.family !== 'generic' && codesQ.has(f.code));
    const sharedFamily = [...qf].some((f) => cf.has(f));
    const detail = `${query.legalForms.map((f) => f.code).join('+')} vs ${candidate.legalForms.map((f) => f.code).join('+')}`;
    if (!sharedCode && sharedFamily) adjustments.push({ feature: 'legal-form-family', delta: -0.03, detail });
    else if (!sharedFamily) adjustments.push({ feature: 'legal-form-conflict', delta: -0.3, detail });
  } else if (qf.size > 0 !== cf.size > 0 && (query.kind === 'person' || candidate.kind === 'person')) {
    adjustments.push({
      feature: 'legal-form-one-sided',
      delta: -0.05,
      detail: 'a legal form on a person name',
    });
  }
  let score = alignment;
  for (const a of adjustments) {
    a.delta = round(a.delta);
    score += a.delta;
  }
  alignment = round(alignment);
  return {
    score01: round(Math.min(1, Math.max(0, score))),
    explanation: { pairs, unmatchedQuery, unmatchedCandidate, alignment01: alignment, adjustments },
  };
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}
