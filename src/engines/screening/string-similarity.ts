/** Character-level similarity of name tokens: an edit distance that is cheap for confusable letters, and Jaro-Winkler. */

/** Letter pairs that transliterations and typists confuse; substituting one for the other costs 0.3 of an edit. */
const CONFUSABLE_PAIRS = [
  'ck',
  'iy',
  'ie',
  'sz',
  'vw',
  'uo',
  'ou',
  'jy',
  'kq',
  'gk',
  'td',
  'bp',
  'fv',
  'ae',
  'ij',
];
/** Substitution costs by character code (ASCII): 0 equal, 0.3 confusable, 1 otherwise; other characters cost 1. */
const COST = new Float32Array(128 * 128).fill(1);
for (let c = 0; c < 128; c++) COST[c * 128 + c] = 0;
for (const pair of CONFUSABLE_PAIRS) {
  const a = pair.charCodeAt(0);
  const b = pair.charCodeAt(1);
  COST[a * 128 + b] = 0.3;
  COST[b * 128 + a] = 0.3;
}

function substitutionCost(a: number, b: number): number {
  if (a === b) return 0;
  return a < 128 && b < 128 ? COST[a * 128 + b]! : 1;
}

const rowA: number[] = [];
const rowB: number[] = [];
const rowC: number[] = [];

/**
 * Optimal-string-alignment distance (insertions, deletions, substitutions, adjacent transpositions), with confusable
 * substitutions at half cost. With `max`, a distance above it is not computed to the end: the result is then only
 * known to exceed `max` (it is a lower bound of the distance), and a distance at most `max` is exact.
 * @example editDistance('sechin', 'sechn') // 1
 * @example editDistance('sechin', 'putin', 1) > 1 // true, computed on the first rows only
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let prev2 = rowA;
  let prev = rowB;
  let cur = rowC;
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  // every cell derives from the two rows above it at no lower cost, so the smaller minimum of two consecutive rows
  // never decreases: once it exceeds `max`, so does the distance
  let prevMin = 0;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const cb = b.charCodeAt(j - 1);
      const sub = substitutionCost(ca, cb);
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + sub);
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) {
        v = Math.min(v, prev2[j - 2]! + 1);
      }
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max && prevMin > max) return Math.min(rowMin, prevMin);
    prevMin = rowMin;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[b.length]!;
}

/**
 * Edit similarity in [0,1]: 1 - distance / longer length. Symmetric.
 * @example editSimilarity('scholz', 'scholze') // ≈ 0.857
 */
export function editSimilarity(a: string, b: string): number {
  const longer = Math.max(a.length, b.length);
  if (longer === 0) return 1;
  return Math.max(0, 1 - editDistance(a, b) / longer);
}

/**
 * Edits tolerated between two tokens before they count as different words: none for short tokens, growing with length.
 * @example allowedEdits(7) // 2
 */
export function allowedEdits(length: number): number {
  if (length <= 3) return 0.5;
  if (length <= 5) return 1;
  if (length <= 8) return 2;
  if (length <= 12) return 3;
  return Math.floor(length / 4);
}

/**
 * Jaro-Winkler similarity in [0,1] (prefix scale 0.1, up to 4 characters). Symmetric.
 * @example jaroWinkler('martha', 'marhta') // ≈ 0.961
 */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  const la = a.length;
  const lb = b.length;
  if (la === 0 || lb === 0) return 0;
  const range = Math.max(0, Math.floor(Math.max(la, lb) / 2) - 1);
  const matchedA = new Uint8Array(la);
  const matchedB = new Uint8Array(lb);
  let matches = 0;
  for (let i = 0; i < la; i++) {
    const lo = Math.max(0, i - range);
    const hi = Math.min(lb - 1, i + range);
    for (let j = lo; j <= hi; j++) {
      if (matchedB[j] || a.charCodeAt(i) !== b.charCodeAt(j)) continue;
      matchedA[i] = 1;
      matchedB[j] = 1;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  let k = 0;
  let transpositions = 0;
  for (let i = 0; i < la; i++) {
    if (!matchedA[i]) continue;
    while (!matchedB[k]) k++;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) transpositions++;
    k++;
  }
  const m = matches;
  const jaro = (m / la + m / lb + (m - transpositions / 2) / m) / 3;
  let prefix = 0;
  while (prefix < 4 && prefix < la && prefix < lb && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}
