/** Parses Annex I of Reg. (EU) 2021/821 (consolidated Markdown) into a tree of entries and the Definitions of terms. */
import { invalid } from '../../domain/errors.ts';
import type { ControlList, ControlListDefinition, ControlListEntry } from '../../domain/classification.ts';

const TOP_CODE = /^(\d[A-E]\d{3})(\S.*)$/;
const LIST_ITEM = /^([a-z]|\d{1,2})\.\s+(.*)$/;
const NOTE_MARKER = /^(?:#+\s*)?\*(Technical Notes?|Notes?|N\.\s?B\.)\s*(\d*)\.?\s*:?\s*\*\s*:?\s*(.*)$/;
const DEFINITION = /^"([^"]+)"((?:\s*\([^)]*\))*)\s*(.*)$/;
const CODE_REF = /\b(\d[A-E]\d{3}(?:\.[a-z0-9]+)*)\.?/g;
const INDENT_STEP = 3;

/** Removes Markdown emphasis and collapses whitespace. */
function cleanText(s: string): string {
  return s
    .replace(/<sup>(.*?)<\/sup>/g, '^$1')
    .replace(/\*+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function indentOf(line: string): number {
  const m = /^ */.exec(line);
  return m ? m[0].length : 0;
}

/** Expected label kind at a depth below a top-level entry: letters at odd depths, numbers at even ones. */
function labelFits(label: string, depth: number): boolean {
  const isLetter = /^[a-z]$/.test(label);
  return depth % 2 === 1 ? isLetter : !isLetter;
}

interface PendingNote {
  kind: 'note' | 'technical' | 'table';
  target: ControlListEntry;
  parts: string[];
}

/**
 * Parses Annex I (entries and Definitions) out of the consolidated regulation text.
 * @example parseAnnexI(markdown, '2025').entries.find((e) => e.code === '5A001.f.2')?.text // "Interception equipment …"
 */
export function parseAnnexI(markdown: string, listVersion: string): ControlList {
  const lines = markdown.split(/\r?\n/);
  const start = lines.findIndex((l) => /^##\s+ANNEX I\s*$/.test(l));
  if (start < 0)
    throw invalid('No "## ANNEX I" heading found in the control-list text.', [
      { path: 'file', message: 'missing ANNEX I' },
    ]);
  let end = lines.findIndex((l, i) => i > start && /^##\s+ANNEX II\s*$/.test(l));
  if (end < 0) end = lines.length;
  const defStart = lines.findIndex((l, i) => i > start && /DEFINITIONS OF TERMS USED IN THIS ANNEX/.test(l));
  const partII = lines.findIndex((l, i) => i > start && /^###\s+PART II\s*$/.test(l));
  if (defStart < 0 || partII < 0)
    throw invalid('Annex I has no Definitions or no Part II heading.', [
      { path: 'file', message: 'structure' },
    ]);

  const definitions = parseDefinitions(lines.slice(defStart + 1, partII));
  const entries = parseEntries(lines.slice(partII, end), listVersion);
  attachDefinitionsUsed(entries, definitions);
  return { listVersion, entries, definitions };
}

function parseDefinitions(lines: string[]): ControlListDefinition[] {
  const out: ControlListDefinition[] = [];
  let current: ControlListDefinition | null = null;
  let inNote = false;
  let noteParts: string[] = [];
  const flushNote = (): void => {
    if (current && noteParts.length > 0) current.notes.push(cleanText(noteParts.join(' ')));
    noteParts = [];
  };
  for (const raw of lines) {
    const line = raw.trimEnd();
    if (line.trim() === '') continue;
    const def = indentOf(line) === 0 ? DEFINITION.exec(line) : null;
    if (def) {
      flushNote();
      inNote = false;
      const cats = [...def[2]!.matchAll(/\(([^)]*)\)/g)].map((m) => m[1]!.trim());
      const catGroup = cats.reverse().find((c) => /^(?:[0-9]|GTN|NTN|GSN|NSN|GISN|All|\s)+$/.test(c)) ?? '';
      current = {
        term: def[1]!,
        categories: catGroup.split(/\s+/).filter(Boolean),
        text: cleanText(def[3]!),
        notes: [],
      };
      out.push(current);
      continue;
    }
    if (!current) continue;
    const marker = NOTE_MARKER.exec(line.trim());
    if (marker) {
      flushNote();
      inNote = true;
      if (marker[3]) noteParts.push(marker[3]);
      continue;
    }
    const t = line.trim();
    if (inNote) {
      if (/^\*\d+\.\*$/.test(t) && noteParts.length > 0) flushNote();
      else if (!/^\*\d+\.\*$/.test(t)) noteParts.push(t);
    } else {
      current.text = `${current.text} ${cleanText(t)}`.trim();
    }
  }
  flushNote();
  return out;
}

function parseEntries(lines: string[], listVersion: string): ControlListEntry[] {
  const entries: ControlListEntry[] = [];
  let category = '';
  // stack[d] is the node at depth d (0 = top-level entry).
  let stack: ControlListEntry[] = [];
  let pending: PendingNote | null = null;
  let numberedNoteOpen = false;
  const byCode = new Map<string, ControlListEntry>();
  // After unstructured text under an entry, notes belong to the top-level entry, not to its last sub-item.
  let trailingText = false;

  const flush = (): void => {
    if (pending && pending.parts.length > 0) {
      const text = cleanText(pending.parts.join(' '));
      // A note printed under a sub-item but naming an ancestor ("5A004.b. does not control …") belongs to that ancestor.
      const first = extractCodeReferences(text)[0];
      const target =
        first && pending.target.code.startsWith(`${first}.`)
          ? (byCode.get(first) ?? pending.target)
          : pending.target;
      if (text) (pending.kind === 'note' ? target.notes : target.technicalNotes).push(text);
    }
    pending = null;
    numberedNoteOpen = false;
  };

  const make = (code: string, parent: string | null, text: string): ControlListEntry => ({
    code,
    parent,
    category,
    text: cleanText(text),
    notes: [],
    technicalNotes: [],
    definitionsUsed: [],
    listVersion,
  });

  for (const raw of lines) {
    const line = raw.replace(/\t/g, '   ').trimEnd();
    const t = line.trim();
    if (t === '' || t === 'None' || t === 'None.') continue;

    const catHeading = /^#{2,4}\s+\*\*CATEGORY\s+(\d)/.exec(line);
    if (catHeading) {
      flush();
      category = catHeading[1]!;
      stack = [];
      trailingText = false;
      continue;
    }
    const marker = NOTE_MARKER.exec(t);
    if (marker) {
      flush();
      if (stack.length === 0) continue;
      const depth = /^#/.test(t) || trailingText ? 0 : Math.floor(indentOf(line) / INDENT_STEP);
      const target = stack[Math.min(depth, stack.length - 1)]!;
      pending = {
        kind: /^Technical/.test(marker[1]!) ? 'technical' : 'note',
        target,
        parts: marker[3] ? [marker[3]] : [],
      };
      continue;
    }
    if (/^#/.test(t)) {
      flush();
      if (/^###\s+PART/.test(t)) stack = [];
      continue;
    }
    const top = indentOf(line) === 0 ? TOP_CODE.exec(t) : null;
    if (top && category !== '' && top[1]![0] === category) {
      flush();
      const entry = make(top[1]!, null, top[2]!);
      entries.push(entry);
      byCode.set(entry.code, entry);
      stack = [entry];
      trailingText = false;
      continue;
    }
    if (t.startsWith('|')) {
      // Tables (e.g. the coating table of 2E003.g) are kept as one technical note of the top-level entry.
      if (stack.length === 0) continue;
      if (!pending || (pending as PendingNote).kind !== 'table') {
        flush();
        pending = { kind: 'table', target: stack[0]!, parts: [] };
      }
      (pending as PendingNote).parts.push(t.replace(/\|/g, ' ; '));
      continue;
    }
    if (pending && (pending as PendingNote).kind === 'table') flush();
    const item = LIST_ITEM.exec(t);
    const italic = t.startsWith('*') || (item !== null && item[2]!.startsWith('*'));
    if (pending && !italic) flush();
    if (item && stack.length > 0 && !item[2]!.startsWith('*')) {
      const depth = Math.floor(indentOf(line) / INDENT_STEP) + 1;
      const parent = stack[depth - 1];
      if (parent && labelFits(item[1]!, depth) && !byCode.has(`${parent.code}.${item[1]}`)) {
        flush();
        const entry = make(`${parent.code}.${item[1]}`, parent.code, item[2]!);
        entries.push(entry);
        byCode.set(entry.code, entry);
        stack = [...stack.slice(0, depth), entry];
        trailingText = false;
        continue;
      }
    }
    if (pending) {
      const p = pending as PendingNote;
      // A numbered sub-note ("*1.*" then its text) starts a new note on the same target.
      if (/^\*\d+\.\*$/.test(t)) {
        if (numberedNoteOpen && p.parts.length > 0) {
          const { kind, target } = p;
          flush();
          pending = { kind, target, parts: [] };
        }
        numberedNoteOpen = true;
        continue;
      }
      p.parts.push(t);
      continue;
    }
    // Unstructured text under an entry (e.g. a category-level technical note such as the APP formula).
    if (stack.length > 0) {
      stack[0]!.technicalNotes.push(cleanText(t));
      trailingText = true;
    }
  }
  flush();
  return entries;
}

function attachDefinitionsUsed(entries: ControlListEntry[], definitions: ControlListDefinition[]): void {
  const byTerm = new Map(definitions.map((d) => [d.term.toLowerCase(), d.term]));
  for (const e of entries) {
    const used = new Set<string>();
    for (const s of [e.text, ...e.notes, ...e.technicalNotes]) {
      for (const m of s.matchAll(/"([^"]+)"/g)) {
        const term = byTerm.get(m[1]!.toLowerCase());
        if (term) used.add(term);
      }
    }
    e.definitionsUsed = [...used].sort();
  }
}

/** Codes a text refers to, without trailing dots, e.g. "5A001.f.1. and 5A001.f.2." -> ['5A001.f.1', '5A001.f.2']. */
export function extractCodeReferences(text: string): string[] {
  return [...text.matchAll(CODE_REF)].map((m) => m[1]!);
}
