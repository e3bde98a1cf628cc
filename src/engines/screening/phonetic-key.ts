/** A coarse phonetic key for Latin-script name tokens (in the spirit of Metaphone, written for Custos). */

/**
 * Phonetic key of an ASCII lower-case token: letters grouped by sound, vowels after the first letter dropped, repeats
 * collapsed. Spelling variants of one sound share a key.
 * @example phoneticKey('mohammed') === phoneticKey('muhamad') // 'MHMT'
 */
export function phoneticKey(token: string): string {
  let s = token.replace(/[^a-z]/g, '');
  if (s.length === 0) return '';
  s = s
    .replace(/^(kn|gn|pn|wr)/, (m) => m.slice(1))
    .replace(/^x/, 's')
    .replace(/sch/g, 'sk')
    .replace(/tch/g, 'ch')
    .replace(/ph/g, 'f')
    .replace(/ck/g, 'k')
    .replace(/(sh|ch|zh|sj|sz|cz)/g, 'X')
    .replace(/kh|gh/g, 'h')
    .replace(/th|dh/g, 't')
    .replace(/c([eiy])/g, 's$1')
    .replace(/q/g, 'k')
    .replace(/c/g, 'k')
    .replace(/x/g, 'ks')
    .replace(/dj|dg/g, 'j')
    .replace(/z/g, 's')
    .replace(/w/g, 'v')
    .replace(/d/g, 't')
    .replace(/b/g, 'p')
    .replace(/g/g, 'k')
    .replace(/y/g, 'i');
  const first = 'aeiou'.includes(s[0]!) ? 'A' : s[0]!.toUpperCase();
  let out = first;
  let last = first === 'A' ? '' : s[0]!;
  for (let i = 1; i < s.length; i++) {
    const c = s[i]!;
    if ('aeiouh'.includes(c)) {
      if (c !== 'h') last = '';
      continue;
    }
    if (c === last) continue;
    out += c.toUpperCase();
    last = c;
  }
  return out;
}

/**
 * Consonant skeleton, for comparing names written in scripts that omit short vowels (Arabic, Hebrew, Thai, Khmer)
 * with their Latin spellings: vowels, y and w dropped, letters of one sound merged, repeats collapsed.
 * @example consonantSkeleton('mohamed') === consonantSkeleton('mhmd') // 'mhmt'
 */
export function consonantSkeleton(token: string): string {
  const cached = skeletonCache.get(token);
  if (cached !== undefined) return cached;
  const computed = computeSkeleton(token);
  if (skeletonCache.size > 50_000) skeletonCache.clear();
  skeletonCache.set(token, computed);
  return computed;
}

const skeletonCache = new Map<string, string>();

function computeSkeleton(token: string): string {
  const s = token
    .replace(/[^a-z]/g, '')
    .replace(/kh|gh|q|c/g, 'k')
    .replace(/sh|ch|zh/g, 'x')
    .replace(/th|dh|d/g, 't')
    .replace(/ph|v/g, 'f')
    .replace(/z/g, 's')
    .replace(/b/g, 'p')
    .replace(/[aeiouyw]/g, '');
  let out = '';
  for (const c of s) if (c !== out[out.length - 1]) out += c;
  return out;
}

/**
 * A word as transliterations write it differently, folded to one spelling: long vowels written double or as `ou`
 * (saeed / said, noor / nur), `x` and `ks`, `tch` and `ch`, `ck` and `k`, `ph` and `f`, `w` and `v` (Slavic -ow /
 * -ov), `y` and `i` after the first letter (chaykovskiy / tchaikovsky), doubled letters single.
 * @example foldSpelling('tchaikovsky') === foldSpelling('chaykovskiy') // 'chaikovski'
 */
export function foldSpelling(word: string): string {
  const vowels =
    word[0] +
    word
      .slice(1)
      .replace(/y/g, 'i')
      .replace(/oo|ou|uu/g, 'u')
      .replace(/ee|ii/g, 'i')
      .replace(/aa/g, 'a');
  let out = '';
  for (const c of vowels
    .replace(/x/g, 'ks')
    .replace(/tch/g, 'ch')
    .replace(/ck/g, 'k')
    .replace(/ph/g, 'f')
    .replace(/w/g, 'v'))
    if (c !== out[out.length - 1]) out += c;
  return out;
}
