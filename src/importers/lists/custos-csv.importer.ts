/** Importer of the Custos watch-list CSV: an authority's own lists (other Member States' denials, civil society). */
import path from 'node:path';
import { isCountryCode } from '../../domain/codes.ts';
import { invalid } from '../../domain/errors.ts';
import { ENTITY_SCHEMAS, type EntitySchema, type WatchlistEntry } from '../../domain/watchlist.ts';
import type { ImportedWatchlist, WatchlistImportOptions } from '../../domain/watchlist-import.ts';
import { streamCsvRecords, where } from './csv-records.ts';
import { detectScript, pushUnique } from './entry-values.ts';
import { buildImportedWatchlist, checkImportedAt, EntryCollector, closeStream } from './import-result.ts';

/** The columns of the format, in the documented order (docs/lists.md). Only id, schema and name are required. */
export const CUSTOS_CSV_COLUMNS = [
  'id',
  'schema',
  'name',
  'aliases',
  'weak_aliases',
  'countries',
  'birth_dates',
  'identifiers',
  'addresses',
  'programs',
  'listed_on',
  'remarks',
  'source_url',
] as const;
type Column = (typeof CUSTOS_CSV_COLUMNS)[number];
const REQUIRED: Column[] = ['id', 'schema', 'name'];
const METADATA_KEYS = ['list', 'publisher', 'published'] as const;
const ISO_DATE = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/;

const splitMulti = (v: string | undefined): string[] =>
  (v ?? '')
    .split('|')
    .map((x) => x.trim())
    .filter((x) => x !== '');

/**
 * Reads a Custos watch-list CSV (UTF-8, comma-separated, RFC 4180 quoting). Optional metadata lines before the
 * header: `# list: <name>`, `# publisher: <name>`, `# published: YYYY-MM-DD`. Multi-valued cells use `|`.
 * Every value is validated (schema, ISO country codes, ISO dates, identifier syntax); any problem refuses the
 * whole file naming line and column.
 */
export async function importCustosWatchlistCsv(
  filePath: string,
  options: WatchlistImportOptions,
): Promise<ImportedWatchlist> {
  const importedAt = checkImportedAt(options.importedAt);
  const file = path.basename(filePath);
  const collector = new EntryCollector(file);
  const meta: Partial<Record<(typeof METADATA_KEYS)[number], string>> = {};
  let header: string[] | undefined;
  const stream = streamCsvRecords(filePath);
  try {
    let step = await stream.next();
    while (!step.done) {
      const { fields, line } = step.value;
      step = await stream.next();
      const fail = (column: string, message: string): never => {
        throw invalid(`${file}: line ${line}, column ${column}: ${message}; the import is refused.`, [
          { path: `${where(file, line)}.${column}`, message },
        ]);
      };
      if (!header) {
        if (fields[0]?.trimStart().startsWith('#')) {
          const m = /^#\s*([a-z]+)\s*:\s*(.*)$/.exec(fields.join(',').trim());
          const key = m?.[1] as (typeof METADATA_KEYS)[number] | undefined;
          if (!m || !key || !METADATA_KEYS.includes(key))
            fail('#', `metadata lines are "# list|publisher|published: value"`);
          meta[key!] = m![2]!.trim();
          continue;
        }
        header = fields.map((h) => h.trim());
        for (const h of header)
          if (!(CUSTOS_CSV_COLUMNS as readonly string[]).includes(h)) fail(h, 'unknown column');
        for (const r of REQUIRED) if (!header.includes(r)) fail(r, 'required column missing from the header');
        if (new Set(header).size !== header.length) fail('header', 'a column appears twice');
        continue;
      }
      if (fields.length !== header.length)
        fail('*', `${fields.length} fields, the header has ${header.length}`);
      const get = (c: Column): string => {
        const i = header!.indexOf(c);
        return i < 0 ? '' : fields[i]!.trim();
      };
      for (const r of REQUIRED) if (get(r) === '') fail(r, 'required');
      const schema = get('schema');
      if (!(ENTITY_SCHEMAS as readonly string[]).includes(schema))
        fail('schema', `"${schema}" is not one of ${ENTITY_SCHEMAS.join(', ')}`);
      const name = get('name');
      const entry: WatchlistEntry = {
        sourceId: get('id'),
        schema: schema as EntitySchema,
        name,
        aliases: [],
        countries: [],
        birthDates: [],
        identifiers: [],
        addresses: [],
        programs: [],
      };
      const addAlias = (a: string, weak: boolean): void => {
        if (a === name || entry.aliases.some((x) => x.name === a)) return;
        const script = detectScript(a);
        entry.aliases.push({ name: a, ...(weak ? { weak } : {}), ...(script ? { script } : {}) });
      };
      for (const a of splitMulti(get('aliases'))) addAlias(a, false);
      for (const a of splitMulti(get('weak_aliases'))) addAlias(a, true);
      const country = (column: string, c: string): string => {
        const up = c.toUpperCase();
        if (!isCountryCode(up)) fail(column, `"${c}" is not an ISO 3166-1 alpha-2 code`);
        return up;
      };
      for (const c of splitMulti(get('countries'))) pushUnique(entry.countries, country('countries', c));
      for (const d of splitMulti(get('birth_dates'))) {
        if (!ISO_DATE.test(d)) fail('birth_dates', `"${d}" is not YYYY, YYYY-MM or YYYY-MM-DD`);
        pushUnique(entry.birthDates, d);
      }
      for (const idText of splitMulti(get('identifiers'))) {
        const m = /^([a-z_]+):([^:]+?)(?::([A-Za-z]{2}))?$/.exec(idText);
        if (!m) fail('identifiers', `"${idText}" is not type:value or type:value:CC`);
        entry.identifiers.push({
          type: m![1]!,
          value: m![2]!.trim(),
          ...(m![3] ? { country: country('identifiers', m![3]) } : {}),
        });
      }
      for (const a of splitMulti(get('addresses'))) {
        const m = /^(.*)\s\[([A-Za-z]{2})\]$/.exec(a);
        const cc = m ? country('addresses', m[2]!) : undefined;
        if (cc) pushUnique(entry.countries, cc);
        entry.addresses.push({ full: m ? m[1]!.trim() : a, ...(cc ? { country: cc } : {}) });
      }
      for (const p of splitMulti(get('programs'))) pushUnique(entry.programs, p);
      const listedOn = get('listed_on');
      if (listedOn !== '') {
        if (!/^\d{4}-\d{2}-\d{2}$/.test(listedOn) || !ISO_DATE.test(listedOn))
          fail('listed_on', `"${listedOn}" is not YYYY-MM-DD`);
        entry.listedOn = listedOn;
      }
      if (get('remarks') !== '') entry.remarks = get('remarks');
      const url = get('source_url');
      if (url !== '') {
        if (!/^https?:\/\/\S+$/.test(url)) fail('source_url', `"${url}" is not an http(s) URL`);
        entry.sourceUrl = url;
      }
      collector.add(entry, `line ${line}`);
    }
    if (!header)
      throw invalid(`${file}: no header row; the import is refused.`, [{ path: file, message: 'empty' }]);
    if (meta.published !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(meta.published)) {
      throw invalid(`${file}: "# published" must be YYYY-MM-DD, got "${meta.published}".`, [
        { path: `${file}#published`, message: 'not a date' },
      ]);
    }
    return buildImportedWatchlist(
      {
        sourceKind: 'custos-csv',
        listName: options.listName ?? meta.list ?? path.basename(filePath, path.extname(filePath)),
        publisher: options.publisher ?? meta.publisher ?? 'unknown publisher',
        publishedOn: meta.published ?? null,
        importedAt,
      },
      collector,
      [step.value],
    );
  } finally {
    await closeStream(stream);
  }
}
