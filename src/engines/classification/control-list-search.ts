/** Free-text search of Annex I: BM25 over entry text (with ancestors and notes) plus a policy vocabulary of synonyms. */
import { z } from 'zod';
import { invalid } from '../../domain/errors.ts';
import type { ControlListEntry } from '../../domain/classification.ts';

/** A synonym group: phrases of everyday or trade language that point at entries, e.g. "IMSI catcher" -> 5A001.f.2. */
export interface VocabularyTerm {
  phrases: string[];
  codes: string[];
  /** Words added to the query when a phrase is found (the list's own words for the thing). */
  expand: string[];
}
export interface SearchVocabulary {
  version: string;
  terms: VocabularyTerm[];
}

const vocabularySchema = z
  .object({
    version: z.string().min(1),
    terms: z.array(
      z
        .object({
          phrases: z.array(z.string().min(2)).min(1),
          codes: z.array(z.string().regex(/^\d[A-E]\d{3}(\.[a-z0-9]+)*$/)).default([]),
          expand: z.array(z.string()).default([]),
        })
        .strict(),
    ),
  })
  .strict();

/** Validates a vocabulary document; a bad file fails naming the file and the term. */
export function parseSearchVocabulary(content: unknown, file = 'search-vocabulary.yaml'): SearchVocabulary {
  const r = vocabularySchema.safeParse(content);
  if (!r.success) {
    const issues = r.error.issues.map((i) => ({ path: `${file}: ${i.path.join('.')}`, message: i.message }));
    throw invalid(
      `Invalid search vocabulary: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
      issues,
    );
  }
  return {
    version: r.data.version,
    terms: r.data.terms.map((t) => ({ ...t, phrases: t.phrases.map((p) => normalisePhrase(p)) })),
  };
}

const STOPWORDS = new Set(
  'a an and are as at be by for from has have in into is it its of on or that the their this to was which with any all following other than such not specified designed specially modified equipment systems system item items e g i'.split(
    ' ',
  ),
);

function stem(w: string): string {
  if (w.length <= 4) return w;
  for (const suf of ['ations', 'ation', 'ings', 'ing', 'ies', 'ers', 'ed', 'es', 's']) {
    if (w.endsWith(suf) && w.length - suf.length >= 4)
      return suf === 'ies' ? `${w.slice(0, -3)}y` : w.slice(0, -suf.length);
  }
  return w;
}

function normalisePhrase(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Lower-cased, stop-word-free, lightly stemmed tokens. */
export function tokenise(s: string): string[] {
  return normalisePhrase(s)
    .split(' ')
    .filter((w) => w.length > 1 && !STOPWORDS.has(w))
    .map(stem);
}

interface IndexedDoc {
  entry: ControlListEntry;
  tf: Map<string, number>;
  length: number;
  passages: string[];
}

export interface ControlListIndex {
  docs: IndexedDoc[];
  df: Map<string, number>;
  avgLength: number;
  vocabulary: SearchVocabulary | null;
  byCode: Map<string, number>;
  listVersion: string;
}

export interface SearchHit {
  code: string;
  score: number;
  /** The sentence or clause of the entry (or its notes) that best matches the description. */
  passage: string;
  /** Query terms found in the entry. */
  matchedTerms: string[];
  /** Vocabulary phrases of the description that point at this entry. */
  vocabularyPhrases: string[];
  listVersion: string;
}

const FIELD_WEIGHT = { own: 1, ancestor: 0.5, note: 0.3 };

/**
 * Builds an in-memory BM25 index of Annex I entries (each with its ancestors' text and its notes).
 * @example const index = buildControlListIndex(list.entries, vocabulary); searchControlList(index, 'IMSI catcher', 3)
 */
export function buildControlListIndex(
  entries: readonly ControlListEntry[],
  vocabulary: SearchVocabulary | null = null,
): ControlListIndex {
  const byCode = new Map(entries.map((e, i) => [e.code, i]));
  const docs: IndexedDoc[] = entries.map((e) => {
    const tf = new Map<string, number>();
    const add = (text: string, w: number): void => {
      for (const t of tokenise(text)) tf.set(t, (tf.get(t) ?? 0) + w);
    };
    add(e.text, FIELD_WEIGHT.own);
    let p = e.parent;
    while (p !== null) {
      const pe = entries[byCode.get(p) ?? -1];
      if (!pe) break;
      add(pe.text, FIELD_WEIGHT.ancestor);
      p = pe.parent;
    }
    [...e.notes, ...e.technicalNotes].forEach((n) => add(n, FIELD_WEIGHT.note));
    let length = 0;
    for (const v of tf.values()) length += v;
    const passages = [e.text, ...e.notes, ...e.technicalNotes]
      .flatMap((t) => t.split(/(?<=[;:.])\s+(?=[A-Za-z0-9"'(])/))
      .filter((s) => s.length > 0);
    return { entry: e, tf, length, passages };
  });
  const df = new Map<string, number>();
  for (const d of docs) for (const t of d.tf.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  const avgLength = docs.reduce((s, d) => s + d.length, 0) / Math.max(1, docs.length);
  return { docs, df, avgLength, vocabulary, byCode, listVersion: entries[0]?.listVersion ?? '' };
}

/**
 * Ranks Annex I entries for a free-text description and returns the best passage of each.
 * @example searchControlList(index, 'fake base station that collects IMSI numbers', 3)[0].code // '5A001.f.2'
 */
export function searchControlList(index: ControlListIndex, text: string, limit = 10): SearchHit[] {
  const norm = ` ${normalisePhrase(text)} `;
  const boosts = new Map<number, string[]>();
  const queryTokens = tokenise(text);
  for (const term of index.vocabulary?.terms ?? []) {
    const found = term.phrases.filter((p) => norm.includes(` ${p} `));
    if (found.length === 0) continue;
    for (const w of term.expand) queryTokens.push(...tokenise(w));
    for (const c of term.codes) {
      const i = index.byCode.get(c);
      if (i !== undefined) boosts.set(i, [...(boosts.get(i) ?? []), ...found]);
    }
  }
  const qtf = new Map<string, number>();
  for (const t of queryTokens) qtf.set(t, (qtf.get(t) ?? 0) + 1);
  const N = index.docs.length;
  const k1 = 1.2;
  const b = 0.75;
  const scored: { i: number; score: number; terms: string[] }[] = [];
  index.docs.forEach((d, i) => {
    let score = 0;
    const terms: string[] = [];
    for (const [t, q] of qtf) {
      const f = d.tf.get(t);
      if (!f) continue;
      const n = index.df.get(t) ?? 0;
      const idf = Math.log(1 + (N - n + 0.5) / (n + 0.5));
      score +=
        idf * ((f * (k1 + 1)) / (f + k1 * (1 - b + (b * d.length) / index.avgLength))) * Math.min(q, 2);
      terms.push(t);
    }
    const boost = boosts.get(i);
    if (boost) score = score * 1.5 + 10 * boost.length;
    if (score > 0) scored.push({ i, score, terms });
  });
  scored.sort(
    (x, y) => y.score - x.score || index.docs[x.i]!.entry.code.localeCompare(index.docs[y.i]!.entry.code),
  );
  return scored.slice(0, limit).map(({ i, score, terms }) => {
    const d = index.docs[i]!;
    const want = new Set(terms);
    let best = d.passages[0] ?? d.entry.text;
    let bestHits = -1;
    for (const p of d.passages) {
      const hits = new Set(tokenise(p).filter((t) => want.has(t))).size;
      if (hits > bestHits) {
        best = p;
        bestHits = hits;
      }
    }
    return {
      code: d.entry.code,
      score: Math.round(score * 1000) / 1000,
      passage: best,
      matchedTerms: terms,
      vocabularyPhrases: [...new Set(boosts.get(i) ?? [])],
      listVersion: d.entry.listVersion,
    };
  });
}
