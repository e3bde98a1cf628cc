/** Cross-checks the parsed official Annex I against a third party's JSON parse, repairing that JSON's known defects. */
import { z } from 'zod';
import { invalid } from '../../domain/errors.ts';
import type { ControlListEntry } from '../../domain/classification.ts';

const thirdPartySchema = z.object({
  metadata: z.object({ version: z.string().optional() }).passthrough().optional(),
  entries: z.array(
    z
      .object({
        code: z.string(),
        label: z.string(),
        depth: z.number().int(),
        full_content: z.string().nullable().optional(),
      })
      .passthrough(),
  ),
});

/** One disagreement between the official text and the third-party parse. */
export interface CrossCheckFinding {
  code: string;
  kind: 'missing_in_third_party' | 'missing_in_official' | 'text_differs';
  /** Share of the official text's word trigrams found in the rebuilt third-party entry, 0..1. */
  coverage01?: number;
  detail: string;
}

export interface CrossCheckReport {
  officialTopLevel: number;
  thirdPartyTopLevel: number;
  /** Third-party records with depth > 0: notes split off as fake sub-codes, folded back into their entry. */
  foldedNoteRecords: number;
  nodesCompared: number;
  findings: CrossCheckFinding[];
}

function normalise(s: string): string[] {
  return s
    .toLowerCase()
    .replace(/<sup>.*?<\/sup>/g, ' ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
}

function trigrams(words: string[]): string[] {
  if (words.length < 3) return words.length ? [words.join(' ')] : [];
  const out: string[] = [];
  for (let i = 0; i + 2 < words.length; i++) out.push(`${words[i]} ${words[i + 1]} ${words[i + 2]}`);
  return out;
}

/**
 * Rebuilds each top-level entry of the third-party JSON (joining the depth > 0 "note" records, whose text sits one
 * record late, back onto the entry they follow) and reports every official node whose text it does not carry.
 * @example crossCheckAnnexI(parseAnnexI(md, '2025').entries, JSON.parse(json)).findings.map((f) => f.code) // ['5A001.e', …]
 */
export function crossCheckAnnexI(
  entries: readonly ControlListEntry[],
  thirdPartyJson: unknown,
  minCoverage01 = 0.8,
): CrossCheckReport {
  const parsed = thirdPartySchema.safeParse(thirdPartyJson);
  if (!parsed.success) {
    throw invalid(
      'The third-party Annex I JSON does not have the expected shape.',
      parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  }
  const rebuilt = new Map<string, string>();
  let current: string | null = null;
  let folded = 0;
  for (const r of parsed.data.entries) {
    if (r.depth === 0) {
      current = r.code;
      rebuilt.set(r.code, `${rebuilt.get(r.code) ?? ''} ${r.label} ${r.full_content ?? ''}`);
    } else if (current) {
      folded++;
      rebuilt.set(current, `${rebuilt.get(current)} ${r.label} ${r.full_content ?? ''}`);
    }
  }
  const findings: CrossCheckFinding[] = [];
  const tops = entries.filter((e) => e.parent === null);
  const officialTop = new Set(tops.map((e) => e.code));
  const gramSets = new Map<string, Set<string>>();
  const flat = new Map<string, string>();
  for (const [code, text] of rebuilt) {
    const words = normalise(text);
    gramSets.set(code, new Set(trigrams(words)));
    flat.set(code, ` ${words.join(' ')} `);
  }

  let compared = 0;
  for (const e of entries) {
    const top = e.code.slice(0, 5);
    const grams = gramSets.get(top);
    if (!grams) {
      if (e.parent === null)
        findings.push({ code: e.code, kind: 'missing_in_third_party', detail: 'No record with this code.' });
      continue;
    }
    const words = normalise(e.text);
    if (words.length === 0) continue;
    compared++;
    const mine = trigrams(words);
    const hit =
      words.length < 3
        ? flat.get(top)!.includes(` ${words.join(' ')} `)
          ? 1
          : 0
        : mine.filter((g) => grams.has(g)).length / mine.length;
    if (hit < minCoverage01) {
      findings.push({
        code: e.code,
        kind: 'text_differs',
        coverage01: Math.round(hit * 1000) / 1000,
        detail: `Only ${Math.round(hit * 100)}% of the official text is in the third-party entry ${top}.`,
      });
    }
  }
  for (const code of rebuilt.keys()) {
    if (!officialTop.has(code))
      findings.push({
        code,
        kind: 'missing_in_official',
        detail: 'The third-party JSON has this heading; the official text does not.',
      });
  }
  return {
    officialTopLevel: tops.length,
    thirdPartyTopLevel: rebuilt.size,
    foldedNoteRecords: folded,
    nodesCompared: compared,
    findings,
  };
}
