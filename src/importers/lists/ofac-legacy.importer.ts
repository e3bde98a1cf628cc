/** Importer of OFAC's legacy CSV files (SDN: sdn/add/alt/sdn_comments; non-SDN: cons_prim/add/alt/comments). */
import fs from 'node:fs';
import path from 'node:path';
import { invalid } from '../../domain/errors.ts';
import type { EntitySchema, WatchlistEntry } from '../../domain/watchlist.ts';
import type {
  ImportedWatchlist,
  WatchlistFileDigest,
  WatchlistImportOptions,
} from '../../domain/watchlist-import.ts';
import { isNoCountry, toCountryCode } from './country-names.ts';
import { ofacValue, streamCsvRecords, where } from './csv-records.ts';
import { detectScript, pushUnique } from './entry-values.ts';
import { buildImportedWatchlist, checkImportedAt, EntryCollector, closeStream } from './import-result.ts';
import { extractOfacRemarkFacts } from './ofac-remarks.ts';

export type OfacKind = 'ofac-sdn' | 'ofac-nonsdn';

export interface OfacFileSet {
  /** sdn.csv or cons_prim.csv: one row per listed party. */
  primary: string;
  /** add.csv or cons_add.csv. */
  addresses: string;
  /** alt.csv or cons_alt.csv. */
  aliases: string;
  /** sdn_comments.csv or cons_comments.csv: continuation of remarks longer than the primary file holds. Optional. */
  comments?: string;
}

const ROLE_TOKENS: Record<
  OfacKind,
  { primary: string; addresses: string; aliases: string; comments: string }
> = {
  'ofac-sdn': { primary: 'sdn', addresses: 'add', aliases: 'alt', comments: 'sdn_comments' },
  'ofac-nonsdn': {
    primary: 'cons_prim',
    addresses: 'cons_add',
    aliases: 'cons_alt',
    comments: 'cons_comments',
  },
};

/**
 * The sibling files of an OFAC primary file, by OFAC's naming: the primary token (`sdn` or `cons_prim`, as a
 * whole `_`/`-`/`.`-delimited word in the base name) is replaced by `add`/`alt`/`sdn_comments` (SDN) or
 * `cons_add`/`cons_alt`/`cons_comments` (non-SDN), in the same folder. E.g. `ofac_sdn_2019.csv` ->
 * `ofac_add_2019.csv`, `ofac_alt_2019.csv`, `ofac_sdn_comments_2019.csv`. Address and alias files are required;
 * the comments file is used when present.
 */
export function findOfacSiblings(kind: OfacKind, primaryPath: string): OfacFileSet {
  const dir = path.dirname(primaryPath);
  const base = path.basename(primaryPath);
  const tokens = ROLE_TOKENS[kind];
  const re = new RegExp(`(^|[_.-])${tokens.primary}(?=[_.-])`, 'gi');
  const matches = [...base.matchAll(re)];
  const last = matches.at(-1);
  if (!last) {
    throw invalid(
      `${base}: not an OFAC ${tokens.primary} file name; pass the address and alias files explicitly.`,
      [{ path: base, message: `expected "${tokens.primary}" in the file name` }],
    );
  }
  const start = last.index + last[1]!.length;
  // OFAC's own downloads are upper case (SDN.CSV, ADD.CSV): keep the case of the primary token
  const upper = base.slice(start, start + tokens.primary.length) === tokens.primary.toUpperCase();
  const swap = (token: string): string =>
    path.join(
      dir,
      base.slice(0, start) +
        (upper ? token.toUpperCase() : token) +
        base.slice(start + tokens.primary.length),
    );
  const set: OfacFileSet = {
    primary: primaryPath,
    addresses: swap(tokens.addresses),
    aliases: swap(tokens.aliases),
  };
  for (const [role, p] of [
    ['address', set.addresses],
    ['alias', set.aliases],
  ] as const) {
    if (!fs.existsSync(p)) {
      throw invalid(`${base}: the OFAC ${role} file ${path.basename(p)} was not found beside it.`, [
        { path: path.basename(p), message: 'not found' },
      ]);
    }
  }
  const comments = swap(tokens.comments);
  if (fs.existsSync(comments)) set.comments = comments;
  return set;
}

/** Classifies explicitly passed OFAC paths by their names (primary first, or by role token). */
export function classifyOfacPaths(kind: OfacKind, paths: string[]): OfacFileSet {
  if (paths.length === 1) return findOfacSiblings(kind, paths[0]!);
  const t = ROLE_TOKENS[kind];
  const has = (p: string, token: string): boolean =>
    new RegExp(`(^|[_.-])${token}(?=[_.-])`, 'i').test(path.basename(p));
  const comments = paths.find((p) => has(p, t.comments));
  const rest = paths.filter((p) => p !== comments);
  const addresses = rest.find((p) => has(p, t.addresses));
  const aliases = rest.find((p) => has(p, t.aliases));
  const primary = rest.find((p) => p !== addresses && p !== aliases);
  if (!primary || !addresses || !aliases) {
    throw invalid(
      `OFAC files: expected a primary, an address (${t.addresses}) and an alias (${t.aliases}) file, got ${paths.map((p) => path.basename(p)).join(', ')}.`,
      [{ path: 'paths', message: 'incomplete OFAC file set' }],
    );
  }
  return { primary, addresses, aliases, ...(comments ? { comments } : {}) };
}

const SCHEMA_OF: Record<string, EntitySchema> = {
  individual: 'Person',
  vessel: 'Vessel',
  aircraft: 'Aircraft',
};

const fail = (file: string, line: number, message: string): never => {
  throw invalid(`${file}: line ${line}: ${message}; the import is refused.`, [
    { path: where(file, line), message },
  ]);
};

function checkWidth(file: string, line: number, fields: string[], width: number): void {
  if (fields.length !== width) fail(file, line, `${fields.length} fields where OFAC's layout has ${width}`);
}

function checkEntNum(file: string, line: number, value: string | undefined): string {
  const v = value?.trim() ?? '';
  if (!/^\d+$/.test(v))
    fail(file, line, `ent_num "${v}" is not a number (OFAC legacy files have no header row)`);
  return v;
}

interface Draft {
  entry: WatchlistEntry;
  line: number;
  remarks?: string;
  titleText?: string;
}

/**
 * Imports one OFAC legacy CSV set. sourceId = ent_num. Remarks are extended with the comments file, then DOB,
 * POB, nationality, citizenship, identity documents and weak a.k.a.s are extracted. publishedOn is null: these
 * files carry no publication date.
 */
export async function importOfacLegacyCsv(
  kind: OfacKind,
  files: OfacFileSet,
  options: WatchlistImportOptions,
): Promise<ImportedWatchlist> {
  const importedAt = checkImportedAt(options.importedAt);
  const primaryName = path.basename(files.primary);
  const collector = new EntryCollector(primaryName);
  const drafts = new Map<string, Draft>();
  const digests: WatchlistFileDigest[] = [];
  // rows of add/alt/comments whose ent_num is not in the primary file: counted per file, reported once
  const orphanCounts = new Map<string, { rows: number; firstLine: number }>();
  const orphans = {
    note(file: string, line: number): void {
      const o = orphanCounts.get(file);
      if (o) o.rows++;
      else orphanCounts.set(file, { rows: 1, firstLine: line });
    },
  };

  // 1. primary records
  {
    const stream = streamCsvRecords(files.primary, { dropTrailingCtrlZ: true });
    try {
      let step = await stream.next();
      while (!step.done) {
        const { fields, line } = step.value;
        checkWidth(primaryName, line, fields, 12);
        const id = checkEntNum(primaryName, line, fields[0]);
        const name = ofacValue(fields[1]);
        if (!name) fail(primaryName, line, `ent_num ${id} has no name`);
        const type = ofacValue(fields[2])?.toLowerCase();
        const programs: string[] = [];
        for (const p of (ofacValue(fields[3]) ?? '').split(/\]\s*\[/))
          pushUnique(programs, p.replace(/[[\]]/g, ''));
        const entry: WatchlistEntry = {
          sourceId: id,
          schema: (type && SCHEMA_OF[type]) || 'Organization',
          name: name!,
          aliases: [],
          countries: [],
          birthDates: [],
          identifiers: [],
          addresses: [],
          programs,
        };
        const callSign = ofacValue(fields[5]);
        if (callSign) entry.identifiers.push({ type: 'call_sign', value: callSign });
        const flag = ofacValue(fields[9]);
        if (flag) {
          const code = toCountryCode(flag);
          if (code) pushUnique(entry.countries, code);
          else if (!isNoCountry(flag))
            collector.warn(`${where(primaryName, line)}: unknown vessel flag "${flag}"`);
        }
        const draft: Draft = { entry, line };
        const remarks = ofacValue(fields[11]);
        if (remarks) draft.remarks = remarks;
        const title = ofacValue(fields[4]);
        if (title) draft.titleText = `Title: ${title}.`;
        collector.add(entry, `line ${line}`);
        drafts.set(id, draft);
        step = await stream.next();
      }
      digests.push(step.value);
    } finally {
      await closeStream(stream);
    }
  }

  // 2. addresses
  const addFile = path.basename(files.addresses);
  {
    const seen = new Set<string>();
    const stream = streamCsvRecords(files.addresses, { dropTrailingCtrlZ: true });
    try {
      let step = await stream.next();
      while (!step.done) {
        const { fields, line } = step.value;
        checkWidth(addFile, line, fields, 6);
        const id = checkEntNum(addFile, line, fields[0]);
        const addNum = checkEntNum(addFile, line, fields[1]);
        if (seen.has(addNum)) fail(addFile, line, `duplicate address number ${addNum}`);
        seen.add(addNum);
        const draft = drafts.get(id);
        if (!draft) {
          orphans.note(addFile, line);
        } else {
          const parts = [fields[2], fields[3], fields[4]]
            .map(ofacValue)
            .filter((p): p is string => p !== undefined);
          const countryName = ofacValue(fields[4]);
          const code = toCountryCode(countryName);
          if (countryName && !code && !isNoCountry(countryName))
            collector.warn(`${where(addFile, line)}: unknown country "${countryName}"`);
          if (code) pushUnique(draft.entry.countries, code);
          if (parts.length > 0) {
            const city = ofacValue(fields[3]);
            draft.entry.addresses.push({
              full: parts.join(', '),
              ...(city ? { city } : {}),
              ...(code ? { country: code } : {}),
            });
          }
        }
        step = await stream.next();
      }
      digests.push(step.value);
    } finally {
      await closeStream(stream);
    }
  }

  // 3. aliases
  const altFile = path.basename(files.aliases);
  {
    const seen = new Set<string>();
    const stream = streamCsvRecords(files.aliases, { dropTrailingCtrlZ: true });
    try {
      let step = await stream.next();
      while (!step.done) {
        const { fields, line } = step.value;
        checkWidth(altFile, line, fields, 5);
        const id = checkEntNum(altFile, line, fields[0]);
        const altNum = checkEntNum(altFile, line, fields[1]);
        if (seen.has(altNum)) fail(altFile, line, `duplicate alias number ${altNum}`);
        seen.add(altNum);
        const name = ofacValue(fields[3]);
        if (!name) fail(altFile, line, `alias ${altNum} has no name`);
        const draft = drafts.get(id);
        if (!draft) {
          orphans.note(altFile, line);
        } else if (name !== draft.entry.name && !draft.entry.aliases.some((a) => a.name === name)) {
          const script = detectScript(name!);
          draft.entry.aliases.push({ name: name!, ...(script ? { script } : {}) });
        }
        step = await stream.next();
      }
      digests.push(step.value);
    } finally {
      await closeStream(stream);
    }
  }

  // 4. remarks continuations
  if (files.comments) {
    const comFile = path.basename(files.comments);
    const stream = streamCsvRecords(files.comments, { dropTrailingCtrlZ: true });
    try {
      let step = await stream.next();
      while (!step.done) {
        const { fields, line } = step.value;
        checkWidth(comFile, line, fields, 2);
        const id = checkEntNum(comFile, line, fields[0]);
        const draft = drafts.get(id);
        const more = fields[1] ?? '';
        if (!draft) orphans.note(comFile, line);
        else draft.remarks = (draft.remarks ?? '') + more;
        step = await stream.next();
      }
      digests.push(step.value);
    } finally {
      await closeStream(stream);
    }
  }

  for (const [file, o] of orphanCounts) {
    collector.warn(
      `${file}: ${o.rows} rows refer to an ent_num that is not in ${primaryName} (first at line ${o.firstLine})`,
    );
  }

  // 5. facts from remarks
  for (const draft of drafts.values()) {
    const e = draft.entry;
    const facts = extractOfacRemarkFacts(draft.remarks);
    for (const d of facts.birthDates) pushUnique(e.birthDates, d);
    for (const c of facts.countries) pushUnique(e.countries, c);
    for (const i of facts.identifiers) {
      if (!e.identifiers.some((x) => x.type === i.type && x.value === i.value)) e.identifiers.push(i);
    }
    for (const a of facts.weakAliases) {
      if (a !== e.name && !e.aliases.some((x) => x.name === a)) e.aliases.push({ name: a, weak: true });
    }
    const remarks = [draft.titleText, draft.remarks].filter((r) => r !== undefined).join(' ');
    if (remarks !== '') e.remarks = remarks;
  }

  return buildImportedWatchlist(
    {
      sourceKind: kind,
      listName: options.listName ?? (kind === 'ofac-sdn' ? 'OFAC SDN' : 'OFAC Consolidated (non-SDN)'),
      publisher: 'U.S. Department of the Treasury, Office of Foreign Assets Control',
      publishedOn: null,
      importedAt,
    },
    collector,
    digests,
  );
}
