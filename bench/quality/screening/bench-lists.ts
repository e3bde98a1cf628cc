/**
 * Loads the lists the screening benchmarks use from ../shared: the UN list through the Custos importer, and OFAC SDN
 * 2021 and the US CSL through small benchmark-only readers (names, aliases, schema, birth years) until the list
 * importers for those formats land. Nothing here is used by the application.
 */
import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { EntitySchema, WatchlistEntry } from '../../../src/domain/watchlist.ts';
import { importUnSecurityCouncilXml } from '../../../src/importers/lists/un-sc.importer.ts';
import { sharedPath } from '../../../test/support/shared.ts';

export interface BenchList {
  listName: string;
  entries: WatchlistEntry[];
}

const IMPORTED_AT = '2026-01-01T00:00:00Z';

export async function loadUnList(): Promise<BenchList> {
  const r = await importUnSecurityCouncilXml(
    sharedPath('data', 'sanctions', 'un', 'un_consolidated_2026.xml'),
    { importedAt: IMPORTED_AT },
  );
  return { listName: r.provenance.listName, entries: r.entries };
}

const blank = (v: string | undefined): boolean => v === undefined || v.trim() === '' || v.trim() === '-0-';
const MONTHS: Record<string, string> = {
  Jan: '01',
  Feb: '02',
  Mar: '03',
  Apr: '04',
  May: '05',
  Jun: '06',
  Jul: '07',
  Aug: '08',
  Sep: '09',
  Oct: '10',
  Nov: '11',
  Dec: '12',
};

function entry(sourceId: string, schema: EntitySchema, name: string): WatchlistEntry {
  return {
    sourceId,
    schema,
    name,
    aliases: [],
    countries: [],
    birthDates: [],
    identifiers: [],
    addresses: [],
    programs: [],
  };
}

/** OFAC SDN legacy CSV (sdn + alt), 2021 benchmark copy; birth dates from the remarks ("DOB 12 Jan 1960"). */
export function loadOfac2021(): BenchList {
  const dir = sharedPath('data', 'sanctions', 'ofac');
  const sdn = parse(fs.readFileSync(`${dir}/bench_ofac_sdn_2021.csv`), {
    relax_quotes: true,
    relax_column_count: true,
    trim: true,
  }) as string[][];
  const byId = new Map<string, WatchlistEntry>();
  for (const row of sdn) {
    const [id, name, type, program] = row;
    if (!id || blank(name) || !/^\d+$/.test(id)) continue;
    const t = (type ?? '').toLowerCase();
    const schema: EntitySchema =
      t === 'individual'
        ? 'Person'
        : t === 'vessel'
          ? 'Vessel'
          : t === 'aircraft'
            ? 'Aircraft'
            : 'Organization';
    const e = entry(id, schema, name!);
    if (!blank(program)) e.programs.push(program!);
    const remarks = row[11] ?? '';
    for (const m of remarks.matchAll(/DOB (?:circa )?(?:(\d{1,2}) )?(?:([A-Z][a-z]{2}) )?(\d{4})/g)) {
      const [, d, mon, y] = m;
      e.birthDates.push(d && mon && MONTHS[mon] ? `${y}-${MONTHS[mon]}-${d.padStart(2, '0')}` : y!);
    }
    byId.set(id, e);
  }
  const alt = parse(fs.readFileSync(`${dir}/bench_ofac_alt_2021.csv`), {
    relax_quotes: true,
    relax_column_count: true,
    trim: true,
  }) as string[][];
  for (const [id, , type, name] of alt) {
    const e = id ? byId.get(id) : undefined;
    if (e && !blank(name))
      e.aliases.push({ name: name!, weak: (type ?? '').toLowerCase() === 'fka' ? false : undefined });
  }
  for (const e of byId.values()) for (const a of e.aliases) if (a.weak === undefined) delete a.weak;
  return { listName: 'OFAC SDN 2021', entries: [...byId.values()] };
}

/** US Consolidated Screening List CSV (2023-11 full copy). */
export function loadCsl2023(): BenchList {
  const rows = parse(fs.readFileSync(sharedPath('data', 'sanctions', 'us-csl', 'us_csl_full_2023-11.csv')), {
    columns: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
  }) as Record<string, string>[];
  const entries: WatchlistEntry[] = [];
  const seen = new Set<string>();
  for (const r of rows) {
    if (r._id === '_id' || blank(r.name) || seen.has(r._id!)) continue;
    seen.add(r._id!);
    const schema: EntitySchema =
      r.type === 'Individual' ? 'Person' : r.type === 'Vessel' ? 'Vessel' : 'Organization';
    const e = entry(r._id!, schema, r.name!);
    for (const a of (r.alt_names ?? '').split(';')) if (a.trim()) e.aliases.push({ name: a.trim() });
    for (const d of (r.dates_of_birth ?? '').split(';')) {
      const m = /(\d{4})(?:-(\d{2})-(\d{2}))?/.exec(d);
      if (m) e.birthDates.push(m[2] ? `${m[1]}-${m[2]}-${m[3]}` : m[1]!);
    }
    for (const c of `${r.nationalities ?? ''};${r.citizenships ?? ''}`.split(/[;,]/))
      if (/^[A-Z]{2}$/.test(c.trim())) e.countries.push(c.trim());
    entries.push(e);
  }
  return { listName: 'US CSL 2023-11', entries };
}
