/** Name preparation: Unicode folding, transliteration to Latin, confusables, legal forms, particles, numbers, keys. */
import anyAscii from 'any-ascii';
import { customaryKoreanReadings } from './korean-names.ts';
import type { EntitySchema } from '../../domain/watchlist.ts';
import { consonantSkeleton, foldSpelling, phoneticKey } from './phonetic-key.ts';
import { editDistance } from './string-similarity.ts';
import {
  ABBREVIATIONS,
  GENERIC_ORG_WORDS,
  HONORIFICS,
  END_ONLY_LEGAL_FORMS,
  NAME_LIKE_LEGAL_FORMS,
  LEGAL_FORM_MAX_TOKENS,
  LEGAL_FORMS,
  type LegalForm,
  NUMBER_MULTIPLIERS,
  NUMBER_WORDS,
  PLACE_WORDS,
  STOPWORDS,
} from './name-vocabularies.ts';

export type TokenKind = 'word' | 'initial' | 'number' | 'stop' | 'generic' | 'place';

export interface NameToken {
  /** ASCII lower-case form. */
  text: string;
  kind: TokenKind;
  /** Phonetic key (empty for numbers). */
  key: string;
  /** Consonant skeleton, set when the token was written in a script that omits vowels (Arabic, Hebrew, Thai...). */
  skeleton?: string;
  /** Token came from a script written in syllables without spaces (Han, Hangul, kana): may join neighbours. */
  syllabic?: boolean;
  /** The spelling folded as transliterations vary (`foldSpelling`), for alphabetic words of three letters or more. */
  folded?: string;
  /** Informativeness weight in (0,1]. */
  weight: number;
}

export interface PreparedName {
  original: string;
  /** 'person', 'organisation' (companies, organisations, legal entities, vessels, aircraft) or 'any'. */
  kind: NameKind;
  tokens: NameToken[];
  /** Legal forms found at the edges of the name, canonicalised. */
  legalForms: LegalForm[];
  /** Numbers written in the name, as digit strings. */
  numbers: string[];
  /** Normalised tokens joined by single spaces (for display and exact lookup). */
  normalised: string;
  /** Names written as alternatives in one string ("Al-Qa'ida/Islamic Army"), each prepared on its own. */
  alternatives?: PreparedName[];
}

export type NameKind = 'person' | 'organisation' | 'any';

/** The kind of name a schema carries. */
export function nameKindOf(schema: EntitySchema | undefined): NameKind {
  if (schema === undefined) return 'any';
  return schema === 'Person' ? 'person' : 'organisation';
}

const WEIGHTS: Record<TokenKind, number> = {
  word: 1,
  initial: 0.4,
  number: 0.8,
  stop: 0.2,
  generic: 0.4,
  place: 0.25,
};

/** Cyrillic and Greek letters that look like Latin ones, used when a token mixes scripts ("Sеchin" with a Cyrillic е). */
const LOOKALIKES: Record<string, string> = {
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  і: 'i',
  ј: 'j',
  ѕ: 's',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  α: 'a',
  β: 'b',
  ε: 'e',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
};
/** Digits and symbols typed for letters inside words ("Ig0r Sech1n"). */
const LEET: Record<string, string> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '6': 'g',
  '7': 't',
  '8': 'b',
  '9': 'g',
  '@': 'a',
  $: 's',
};

const LATIN = /\p{Script=Latin}/u;
const NON_LATIN_LOOKALIKE = /[\p{Script=Cyrillic}\p{Script=Greek}]/u;
const ABJAD =
  /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Thai}\p{Script=Khmer}\p{Script=Lao}\p{Script=Syriac}\p{Script=Thaana}]/u;
/**
 * Scripts written in syllables without spaces, whose romanised syllables are whole units ("cheng" is not "sheng").
 * Kana is not among them: it transcribes names word by word, phonetically ("バラク" -> "baraku", Barack), so its
 * tokens are compared like any alphabetic transcription.
 */
const SYLLABIC = /[\p{Script=Han}\p{Script=Hangul}]/u;
const APOSTROPHES = /['’‘`ʼʻ´ʹ]/g;

function fixConfusables(word: string): string {
  let w = word;
  if (LATIN.test(w) && NON_LATIN_LOOKALIKE.test(w)) {
    w = [...w].map((c) => LOOKALIKES[c.toLowerCase()] ?? c).join('');
  }
  if (/[0-9@$]/.test(w) && /\p{L}/u.test(w)) {
    const chars = [...w];
    w = chars
      .map((c, i) => {
        const sub = LEET[c];
        if (sub === undefined) return c;
        const before = chars[i - 1];
        const after = chars[i + 1];
        return before && after && /\p{L}/u.test(before) && /\p{L}/u.test(after) ? sub : c;
      })
      .join('');
  }
  return w;
}

interface RawToken {
  text: string;
  abjad: boolean;
  syllabic: boolean;
}

/** Transliterate one whitespace-separated word, splitting syllabic scripts into their syllables. */
function transliterateWord(word: string): RawToken[] {
  const abjad = ABJAD.test(word);
  const syllabic = SYLLABIC.test(word);
  let latin = anyAscii(fixConfusables(word.replace(/(\p{L})['’]s$/u, '$1').replace(APOSTROPHES, '')));
  if (syllabic) latin = latin.replace(/([a-z])([A-Z])/g, '$1 $2');
  latin = latin
    .toLowerCase()
    .replace(/(\w)['’]s\b/g, '$1')
    .replace(APOSTROPHES, '');
  return [{ text: latin, abjad, syllabic }];
}

function splitTokens(raw: RawToken[], kind: NameKind): RawToken[] {
  const out: RawToken[] = [];
  for (const r of raw) {
    let text = r.text;
    // dotted abbreviations: "a.b.c." -> "abc" for organisations; initials stay apart for persons
    text = text.replace(/\b(?:[a-z]\.\s?-?){2,}/g, (m) =>
      kind === 'person' ? m.replace(/[.-]/g, ' ') : m.replace(/[.\s-]/g, '') + ' ',
    );
    text = text
      .replace(/&/g, ' and ')
      .replace(/%/g, ' percent ')
      .replace(/(\d)(st|nd|rd|th)(?![a-z0-9])/g, '$1');
    for (const t of text.split(/[^a-z0-9]+/)) {
      if (t) out.push({ text: t, abjad: r.abjad, syllabic: r.syllabic });
    }
  }
  return out;
}

/** Number words to digits: "forty four" and "forty 4" -> "44", "first" -> "1", "three" -> "3". */
function convertNumbers(tokens: RawToken[]): RawToken[] {
  const out: RawToken[] = [];
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i]!;
    const w = NUMBER_WORDS.get(t.text);
    if (w === undefined) {
      out.push(t);
      i++;
      continue;
    }
    let value = w;
    let j = i + 1;
    while (j < tokens.length) {
      const next = tokens[j]!.text;
      const nw = NUMBER_WORDS.get(next) ?? (/^[1-9]$/.test(next) ? Number(next) : undefined);
      const mult = NUMBER_MULTIPLIERS.get(next);
      if (mult !== undefined) {
        value *= mult;
        j++;
      } else if (nw !== undefined && nw < 10 && value % 10 === 0 && value >= 20) {
        value += nw;
        j++;
      } else if (nw !== undefined && value >= 100 && value % 100 === 0 && nw < 100) {
        value += nw;
        j++;
      } else break;
    }
    out.push({ ...t, text: String(value) });
    i = j;
  }
  return out;
}

const personWord = (spelling: string, kind: NameKind): boolean =>
  kind === 'person' && NAME_LIKE_LEGAL_FORMS.has(spelling);

/** Remove legal forms at the start and end of the token list (longest spelling first). */
function stripLegalForms(tokens: RawToken[], kind: NameKind): { tokens: RawToken[]; forms: LegalForm[] } {
  const forms: LegalForm[] = [];
  let list = tokens;
  let changed = true;
  while (changed && list.length > 1) {
    changed = false;
    for (let n = Math.min(LEGAL_FORM_MAX_TOKENS, list.length - 1); n >= 1; n--) {
      const tail = list
        .slice(list.length - n)
        .map((t) => t.text)
        .join(' ');
      const atEnd =
        (personWord(tail, kind) ? undefined : LEGAL_FORMS.get(tail)) ??
        (n === 1 ? fuzzyLegalForm(tail) : undefined) ??
        (kind !== 'person' ? truncatedLegalForm(tail) : undefined);
      if (atEnd) {
        forms.push(atEnd);
        list = list.slice(0, list.length - n);
        // "GmbH & Co. KG": a conjunction between legal forms goes with them
        if (
          list.length > 1 &&
          (list[list.length - 1]!.text === 'and' || list[list.length - 1]!.text === 'und')
        )
          list = list.slice(0, -1);
        changed = true;
        break;
      }
      const head = list
        .slice(0, n)
        .map((t) => t.text)
        .join(' ');
      const atStart =
        END_ONLY_LEGAL_FORMS.has(head) || personWord(head, kind)
          ? undefined
          : (LEGAL_FORMS.get(head) ?? (n === 1 ? fuzzyLegalForm(head) : undefined));
      if (atStart) {
        forms.push(atStart);
        list = list.slice(n);
        changed = true;
        break;
      }
    }
  }
  return { tokens: list, forms };
}

/** Roman numerals after the first word of an organisation name ("Fund I", "Victory III"). */
const ROMAN: Record<string, number> = {
  i: 1,
  ii: 2,
  iii: 3,
  iv: 4,
  v: 5,
  vi: 6,
  vii: 7,
  viii: 8,
  ix: 9,
  x: 10,
  xi: 11,
  xii: 12,
};

/** Words of spelled-out legal forms ("joint", "stock", "corporation") found inside a name weigh as generic words. */
const LEGAL_FORM_WORDS: ReadonlySet<string> = new Set(
  [...LEGAL_FORMS.keys()].flatMap((k) => k.split(' ')).filter((w) => w.length >= 4),
);
/** Long one-word legal forms, matched with up to two typing errors at the edges of a name. */
const LONG_LEGAL_FORMS = [...LEGAL_FORMS.keys()].filter((k) => !k.includes(' ') && k.length >= 9);

/** Multi-word legal forms by all their words but the last, for names cut off inside their last word. */
const LEGAL_FORMS_BY_HEAD: ReadonlyMap<string, { last: string; form: LegalForm }[]> = (() => {
  const m = new Map<string, { last: string; form: LegalForm }[]>();
  for (const [spelling, form] of LEGAL_FORMS) {
    const cut = spelling.lastIndexOf(' ');
    if (cut < 0) continue;
    const head = spelling.slice(0, cut);
    const list = m.get(head) ?? [];
    list.push({ last: spelling.slice(cut + 1), form });
    m.set(head, list);
  }
  return m;
})();

/**
 * A legal form cut off at the end of a name, as lists with fixed field widths store it ("... JOINT STOCK COMPAN",
 * "... AKTIENGESELL"): the last word of a spelled-out form truncated to at least 3 letters after its other words,
 * or a long one-word form truncated to at least 6 letters. Not for persons ("Corpora" is a surname).
 */
function truncatedLegalForm(tail: string): LegalForm | undefined {
  const cut = tail.lastIndexOf(' ');
  if (cut < 0) {
    if (tail.length < 6) return undefined;
    for (const spelling of LONG_LEGAL_FORMS)
      if (spelling.length > tail.length && spelling.startsWith(tail)) return LEGAL_FORMS.get(spelling);
    return undefined;
  }
  const last = tail.slice(cut + 1);
  if (last.length < 3) return undefined;
  for (const o of LEGAL_FORMS_BY_HEAD.get(tail.slice(0, cut)) ?? [])
    if (o.last.length > last.length && o.last.startsWith(last)) return o.form;
  return undefined;
}

function fuzzyLegalForm(text: string): LegalForm | undefined {
  if (text.length < 9) return undefined;
  for (const spelling of LONG_LEGAL_FORMS) {
    if (spelling[0] !== text[0] || Math.abs(spelling.length - text.length) > 2) continue;
    if (editDistance(spelling, text) <= 2) return LEGAL_FORMS.get(spelling);
  }
  return undefined;
}

/**
 * A token's kind. A token transliterated from an abjad is never a title: its letters are the consonants of another
 * word (`عمر`, Omar, comes out as `mr`).
 */
function classify(text: string, kind: NameKind, abjad = false): TokenKind {
  if (/^[0-9]+$/.test(text)) return 'number';
  if (text.length === 1) return 'initial';
  // particles, and title words left inside a name ("HAJI ASAD", "SADIQ AMIR"), say little about identity
  if (STOPWORDS.has(text) || (!abjad && HONORIFICS.has(text))) return 'stop';
  if (kind !== 'person' && (GENERIC_ORG_WORDS.has(text) || LEGAL_FORM_WORDS.has(text))) return 'generic';
  if (kind !== 'person' && PLACE_WORDS.has(text)) return 'place';
  return 'word';
}

/**
 * Prepare a name for matching. Pure and idempotent on its normalised form.
 * @example prepareName('Siemens Aktiengesellschaft', 'Company').normalised // 'siemens'
 * @example prepareName('AL BEN ALI, Isa Ben Tarif', 'Person').tokens.map((t) => t.text) // ['al','ben','ali','isa','tarif']
 */
export function prepareName(name: string, schema?: EntitySchema): PreparedName {
  const prepared = prepareOne(name, schema);
  const parts = alternativesOf(name);
  const alternatives = parts.length > 1 ? parts.map((p) => prepareOne(p, schema)) : [];
  // Hangul is read twice: as transliterated (Revised Romanization) and as Korean names are customarily spelled.
  for (const reading of customaryKoreanReadings(name, nameKindOf(schema) === 'person'))
    if (reading !== prepared.normalised) alternatives.push(prepareOne(reading, schema));
  if (alternatives.length > 0) prepared.alternatives = alternatives;
  return prepared;
}

/**
 * Parts of a name written as alternatives separated by a slash ("Al-Qa'ida/Islamic Army", "ABU SAYYAF GROUP / ASG");
 * a slash inside a legal form or code ("A/S", "S/A", "1/2") separates nothing, so each part needs a word of 2+ letters
 * besides a legal form.
 */
function alternativesOf(name: string): string[] {
  if (!name.includes('/')) return [];
  const parts = name.split('/').map((p) => p.trim());
  if (parts.length > 4 || parts.some((p) => !/\p{L}{2}/u.test(p))) return [];
  return parts;
}

/** A legal form glued to the end of a camel-case word ("SiemensAG", "AcmeGmbH"), for names that are not persons. */
function splitGluedLegalForm(word: string, kind: NameKind): string[] {
  if (kind === 'person' || word.length < 4) return [word];
  for (let i = 2; i < word.length - 1; i++) {
    const c = word[i]!;
    if (
      c === c.toLowerCase() ||
      word[i - 1] !== word[i - 1]!.toLowerCase() ||
      word[i - 1] === word[i - 1]!.toUpperCase()
    )
      continue;
    const suffix = word.slice(i).toLowerCase().replace(/\./g, '');
    if (LEGAL_FORMS.has(suffix)) return [word.slice(0, i), word.slice(i)];
  }
  return [word];
}

function prepareOne(name: string, schema?: EntitySchema): PreparedName {
  const kind = nameKindOf(schema);
  const words = name
    .normalize('NFKC')
    .split(/[\s\u00a0\u200b-\u200f\u3000・·]+/u)
    .filter(Boolean)
    .flatMap((w) => splitGluedLegalForm(w, kind));
  let raw = splitTokens(words.flatMap(transliterateWord), kind);
  raw = convertNumbers(raw).map((t) => ({ ...t, text: ABBREVIATIONS.get(t.text) ?? t.text }));
  if (kind !== 'organisation') {
    // titles precede the name: drop them from the start only ("Mr. Dr. Rami Makhlouf", not "... AMIR MOHAMMAD")
    let start = 0;
    while (start < raw.length - 1 && !raw[start]!.abjad && HONORIFICS.has(raw[start]!.text)) start++;
    raw = raw.slice(start);
  }
  if (kind === 'organisation') {
    raw = raw.map((t, i) =>
      i > 0 && ROMAN[t.text] !== undefined ? { ...t, text: String(ROMAN[t.text]) } : t,
    );
  }
  if (kind === 'person') {
    // all-consonant two-letter tokens in person names are initials written together ("JC Juncker"), split before
    // legal forms are stripped so a second pass sees the same tokens ("E VB" -> "e v b" must not then lose "e v", e.V.)
    raw = raw.flatMap((t) =>
      !t.abjad && /^[b-df-hj-np-tv-z]{2}$/.test(t.text) ? [...t.text].map((c) => ({ ...t, text: c })) : [t],
    );
  }
  const { tokens: core, forms } = stripLegalForms(raw, kind);
  raw = core;
  const seen = new Set<string>();
  const tokens: NameToken[] = [];
  const numbers: string[] = [];
  for (const t of raw) {
    if (seen.has(t.text) && t.text.length > 1) continue;
    seen.add(t.text);
    const tokenKind = classify(t.text, kind, t.abjad);
    if (tokenKind === 'number') numbers.push(t.text.replace(/^0+(?=\d)/, ''));
    const token: NameToken = {
      text: t.text,
      kind: tokenKind,
      key: tokenKind === 'number' ? '' : phoneticKey(t.text),
      weight: WEIGHTS[tokenKind] * (tokenKind === 'word' ? Math.min(1, 0.55 + t.text.length * 0.075) : 1),
    };
    if (t.abjad) token.skeleton = consonantSkeleton(t.text);
    if (t.syllabic) token.syllabic = true;
    else if (tokenKind !== 'number' && t.text.length >= 3) token.folded = foldSpelling(t.text);
    tokens.push(token);
  }
  return {
    original: name,
    kind,
    tokens,
    legalForms: forms,
    numbers,
    normalised: tokens.map((t) => t.text).join(' '),
  };
}
