/** Importer of the US Consolidated Screening List CSV (trade.gov), in its 2019 and 2023+ column layouts. */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { invalid, requiredIssue } from '../../domain/errors.ts';
import type { EntitySchema, WatchlistEntry, WatchlistIdentifier } from '../../domain/watchlist.ts';
import type { ImportedWatchlist, WatchlistImportOptions } from '../../domain/watchlist-import.ts';
import { addCountry, toCountryCode } from './country-names.ts';
import { streamCsvRecords, where } from './csv-records.ts';
import { clean, detectScript, pushUnique, toIdentifierType } from './entry-values.ts';
import { buildImportedWatchlist, checkImportedAt, EntryCollector, closeStream } from './import-result.ts';
import { birthDatesOf } from './ofac-remarks.ts';

const REQUIRED_COLUMNS = ['source', 'name'] as const;
const SCHEMA_OF: Record<string, EntitySchema> = {
  individual: 'Person',
  entity: 'Organization',
  vessel: 'Vessel',
  aircraft: 'Aircraft',
};

/** "Entity List (EL) - Bureau of Industry and Security" -> { code: 'EL', section: 'Entity List (EL)' }. */
export function parseCslSource(source: string): { code: string; section: string } {
  const section = source.split(' - ')[0]!.trim();
  const m = /\(([^()]+)\)\s*(?:List)?$/.exec(section) ?? /\(([^()]+)\)/.exec(section);
  const code = (m?.[1] ?? section).replace(/\s+/g, '-').toUpperCase();
  return { code, section };
}

const splitList = (value: string | undefined): string[] =>
  (value ?? '')
    .split(';')
    .map((v) => v.trim())
    .filter((v) => v !== '');

/**
 * One `ids` element: "Type, value, CC" (2023+) or "CC, value, Type" (2019). Only identity and registration
 * numbers are kept (not tickers, websites, dates or sanction notes).
 */
function parseCslIdentifier(part: string): WatchlistIdentifier | { established: string } | undefined {
  const tokens = part.split(',').map((t) => t.trim());
  if (tokens.length < 2) return undefined;
  let label: string;
  let value: string;
  let cc: string | undefined;
  if (/^[A-Z]{2}$/.test(tokens[0]!) && tokens.length === 3) {
    [cc, value, label] = tokens as [string, string, string];
  } else {
    label = tokens[0]!;
    value = tokens[1]!;
    cc = tokens[2];
  }
  label = label.replace(/:$/, '');
  if (label === 'Organization Established Date') return { established: value };
  if (/^IMO \d+$/.test(value)) return { type: 'imo', value: value.slice(4) };
  const type = /Vessel Registration/.test(label)
    ? 'imo'
    : label === 'MMSI'
      ? 'mmsi'
      : toIdentifierType(label);
  if (type === 'other' && !/Identification Number|ID No|Registration/.test(label)) return undefined;
  const country = cc ? toCountryCode(cc) : undefined;
  return { type, value, ...(country ? { country } : {}) };
}

/**
 * Imports a Consolidated Screening List CSV. sourceId = "<list code>:<_id or entity_number>" (the same OFAC id
 * appears under several lists, e.g. SSI and NS-MBS); rows without an id get "<code>:h<sha256 of the row, 16 hex>".
 * Columns are found by header name, so both layouts load; a repeated header row is skipped.
 */
export async function importUsConsolidatedScreeningListCsv(
  filePath: string,
  options: WatchlistImportOptions,
): Promise<ImportedWatchlist> {
  const importedAt = checkImportedAt(options.importedAt);
  const file = path.basename(filePath);
  const collector = new EntryCollector(file);
  const stream = streamCsvRecords(filePath);
  let header: string[] | undefined;
  let col: Record<string, number> = {};
  try {
    let step = await stream.next();
    while (!step.done) {
      const { fields, line } = step.value;
      if (!header) {
        header = fields.map((h) => h.trim());
        col = Object.fromEntries(header.map((h, i) => [h, i]));
        const missing = REQUIRED_COLUMNS.filter((c) => col[c] === undefined);
        if (missing.length > 0) {
          throw invalid(
            `${file}: line ${line}: header lacks column(s) ${missing.join(', ')}; not a CSL file.`,
            [{ path: where(file, line), message: `missing columns ${missing.join(', ')}` }],
          );
        }
        step = await stream.next();
        continue;
      }
      if (fields.length === header.length && fields.every((f, i) => f.trim() === header![i])) {
        collector.warn(`${where(file, line)}: repeated header row skipped`);
        step = await stream.next();
        continue;
      }
      if (fields.length !== header.length) {
        throw invalid(
          `${file}: line ${line}: ${fields.length} fields, the header has ${header.length}; the import is refused.`,
          [{ path: where(file, line), message: 'wrong number of fields' }],
        );
      }
      const get = (name: string): string | undefined =>
        clean(col[name] === undefined ? undefined : fields[col[name]!]);
      const name = get('name');
      const source = get('source');
      if (!name || !source) {
        throw invalid(
          `${file}: line ${line}: ${!name ? 'name' : 'source'} is empty; the import is refused.`,
          [requiredIssue(`${where(file, line)}.${!name ? 'name' : 'source'}`)],
        );
      }
      const { code, section } = parseCslSource(source);
      const rawId = get('_id') ?? get('entity_number');
      const rowHash = createHash('sha256').update(fields.join('\u001f')).digest('hex').slice(0, 16);
      const sourceId = `${code}:${rawId ?? `h${rowHash}`}`;
      if (!rawId && collector.has(sourceId)) {
        collector.warn(`${where(file, line)}: exact duplicate of an earlier row skipped`);
        step = await stream.next();
        continue;
      }
      const entry: WatchlistEntry = {
        sourceId,
        schema: SCHEMA_OF[(get('type') ?? '').toLowerCase()] ?? 'LegalEntity',
        name,
        aliases: [],
        countries: [],
        birthDates: [],
        identifiers: [],
        addresses: [],
        programs: [section],
      };
      for (const p of splitList(get('programs'))) pushUnique(entry.programs, p);
      for (const alt of splitList(get('alt_names'))) {
        if (alt !== name && !entry.aliases.some((a) => a.name === alt)) {
          const script = detectScript(alt);
          entry.aliases.push({ name: alt, ...(script ? { script } : {}) });
        }
      }
      const country = (v: string): void => {
        if (!addCountry(entry.countries, v)) collector.warn(`${where(file, line)}: unknown country "${v}"`);
      };
      for (const c of [...splitList(get('nationalities')), ...splitList(get('citizenships'))]) country(c);
      for (const a of splitList(get('addresses'))) {
        const parts = a.split(',').map((p) => p.trim());
        const cc = toCountryCode(parts.at(-1));
        if (cc) pushUnique(entry.countries, cc);
        // city is not reliably placed (empty parts are omitted), so only the full text and the country are kept
        entry.addresses.push({ full: a, ...(cc ? { country: cc } : {}) });
      }
      for (const pob of splitList(get('places_of_birth'))) {
        const cc = toCountryCode(pob.split(',').pop());
        if (cc) pushUnique(entry.countries, cc);
      }
      for (const d of splitList(get('dates_of_birth')))
        for (const iso of birthDatesOf(d)) pushUnique(entry.birthDates, iso);
      for (const part of splitList(get('ids'))) {
        const id = parseCslIdentifier(part);
        if (!id) continue;
        if ('established' in id)
          for (const iso of birthDatesOf(id.established)) pushUnique(entry.birthDates, iso);
        else if (!entry.identifiers.some((x) => x.type === id.type && x.value === id.value))
          entry.identifiers.push(id);
      }
      const callSign = get('call_sign');
      if (callSign) entry.identifiers.push({ type: 'call_sign', value: callSign });
      const flag = get('vessel_flag');
      if (flag) country(flag);
      const listedOn = get('start_date');
      if (listedOn && /^\d{4}-\d{2}-\d{2}$/.test(listedOn)) entry.listedOn = listedOn;
      const remarks = [
        get('title') ? `Title: ${get('title')}.` : undefined,
        get('remarks'),
        get('federal_register_notice') ? `FR: ${get('federal_register_notice')}.` : undefined,
      ]
        .filter((r) => r !== undefined)
        .join(' ');
      if (remarks !== '') entry.remarks = remarks;
      const url = get('source_information_url') ?? get('source_list_url');
      if (url) entry.sourceUrl = url;
      collector.add(entry, `line ${line}`);
      step = await stream.next();
    }
    if (!header) throw invalid(`${file}: empty file.`, [{ path: file, message: 'empty' }]);
    return buildImportedWatchlist(
      {
        sourceKind: 'us-csl',
        listName: options.listName ?? 'US Consolidated Screening List',
        publisher: 'U.S. Department of Commerce, International Trade Administration (trade.gov)',
        publishedOn: null,
        importedAt,
      },
      collector,
      [step.value],
    );
  } finally {
    await closeStream(stream);
  }
}
