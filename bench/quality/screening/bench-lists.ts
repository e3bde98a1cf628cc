/**
 * Loads the lists the screening benchmarks use from ../shared: UN and OFAC SDN 2021 through the Custos importers, the
 * US CSL 2023-11 copy through a tolerant benchmark-only reader (see loadCsl2023). Nothing here is used by the application.
 */
import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { EntitySchema, WatchlistEntry } from '../../../src/domain/watchlist.ts';
import { findOfacSiblings, importOfacLegacyCsv } from '../../../src/importers/lists/ofac-legacy.importer.ts';
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

/** OFAC SDN legacy CSV set of 2021 (sdn, add, alt, comments) through the Custos importer. */
export async function loadOfac2021(): Promise<BenchList> {
  const files = findOfacSiblings(
    'ofac-sdn',
    sharedPath('data', 'sanctions', 'ofac', 'bench_ofac_sdn_2021.csv'),
  );
  const r = await importOfacLegacyCsv('ofac-sdn', files, { importedAt: IMPORTED_AT });
  return { listName: `${r.provenance.listName} 2021`, entries: r.entries };
}

/**
 * US Consolidated Screening List CSV (2023-11 full copy). This copy is cut off inside its last record, so the Custos
 * importer rightly refuses it whole; the benchmark reads it with this tolerant reader, which skips that record.
 */
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
