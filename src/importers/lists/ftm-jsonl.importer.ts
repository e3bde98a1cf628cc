/** Importer of FollowTheMoney entities as JSON lines (OpenSanctions exports such as entities.ftm.json). */
import path from 'node:path';
import { invalid } from '../../domain/errors.ts';
import { ENTITY_SCHEMAS, type EntitySchema, type WatchlistEntry } from '../../domain/watchlist.ts';
import type { ImportedWatchlist, WatchlistImportOptions } from '../../domain/watchlist-import.ts';
import { toCountryCode } from './country-names.ts';
import { clean, detectScript, pushUnique, toIsoDate } from './entry-values.ts';
import { buildImportedWatchlist, checkImportedAt, EntryCollector, closeStream } from './import-result.ts';
import { streamTextLines } from './text-lines.ts';

/** FtM schemata imported, mapped to ours; every other schema (Sanction, Address, Ownership...) is skipped. */
const SCHEMA_OF: Record<string, EntitySchema> = {
  ...Object.fromEntries(ENTITY_SCHEMAS.map((s) => [s, s])),
  PublicBody: 'Organization',
};

/** Identifier properties and their types. */
const ID_PROPS: [string, string][] = [
  ['passportNumber', 'passport'],
  ['taxNumber', 'tax_id'],
  ['innCode', 'tax_id'],
  ['vatCode', 'tax_id'],
  ['registrationNumber', 'registration'],
  ['ogrnCode', 'registration'],
  ['leiCode', 'registration'],
  ['imoNumber', 'imo'],
  ['mmsi', 'mmsi'],
  ['swiftBic', 'swift'],
  ['callSign', 'call_sign'],
];

interface FtmEntity {
  id?: unknown;
  schema?: unknown;
  properties?: Record<string, unknown>;
  target?: unknown;
  last_change?: unknown;
}

const values = (props: Record<string, unknown>, key: string): string[] => {
  const v = props[key];
  if (!Array.isArray(v)) return [];
  return v.filter((x): x is string => typeof x === 'string' && x.trim() !== '').map((x) => x.trim());
};

/**
 * Reads FtM JSON lines: one entity per line {id, schema, properties: {name: [...], ...}}. Entities of schemata
 * Person, Organization, Company, LegalEntity, Vessel, Aircraft (and PublicBody as Organization) are imported;
 * entities with `"target": false` (relatives, owners that are not listed themselves) and other schemata are
 * skipped and counted in the warnings. sourceId = id. publishedOn = the latest `last_change` date, if any.
 */
export async function importFollowTheMoneyJsonLines(
  filePath: string,
  options: WatchlistImportOptions,
): Promise<ImportedWatchlist> {
  const importedAt = checkImportedAt(options.importedAt);
  const file = path.basename(filePath);
  const collector = new EntryCollector(file);
  const skipped = new Map<string, number>();
  let latest: string | null = null;
  const stream = streamTextLines(filePath);
  try {
    let step = await stream.next();
    while (!step.done) {
      const { text, line } = step.value;
      step = await stream.next();
      if (text.trim() === '') continue;
      const fail = (message: string): never => {
        throw invalid(`${file}: line ${line}: ${message}; the import is refused.`, [
          { path: `${file}:${line}`, message },
        ]);
      };
      let raw: FtmEntity;
      try {
        raw = JSON.parse(text) as FtmEntity;
      } catch (e) {
        return fail(
          `not valid JSON (${(e as Error).message})${step.done ? ', the file may be truncated' : ''}`,
        );
      }
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail('not a JSON object');
      if (typeof raw.id !== 'string' || raw.id.trim() === '') fail('no "id"');
      if (typeof raw.schema !== 'string') fail('no "schema"');
      if (raw.properties === null || typeof raw.properties !== 'object' || Array.isArray(raw.properties))
        fail('no "properties" object');
      const schema = SCHEMA_OF[raw.schema as string];
      if (!schema || raw.target === false) {
        const key = schema ? 'non-target' : (raw.schema as string);
        skipped.set(key, (skipped.get(key) ?? 0) + 1);
        continue;
      }
      if (typeof raw.last_change === 'string') {
        const d = toIsoDate(raw.last_change);
        if (d && d <= importedAt.slice(0, 10) && (latest === null || d > latest)) latest = d;
      }
      collector.add(
        toEntry(raw.id as string, schema, raw.properties!, fail, (w) =>
          collector.warn(`${file}:${line}: ${w}`),
        ),
        `line ${line}`,
      );
    }
    for (const [k, n] of skipped) collector.warn(`${n} ${k} entities skipped`);
    return buildImportedWatchlist(
      {
        sourceKind: 'ftm-jsonl',
        listName: options.listName ?? 'OpenSanctions (FollowTheMoney)',
        publisher: options.publisher ?? 'OpenSanctions',
        publishedOn: latest,
        importedAt,
      },
      collector,
      [step.value],
    );
  } finally {
    await closeStream(stream);
  }
}

function toEntry(
  id: string,
  schema: EntitySchema,
  props: Record<string, unknown>,
  fail: (message: string) => never,
  warn: (message: string) => void,
): WatchlistEntry {
  const names = values(props, 'name');
  if (names.length === 0) fail(`entity ${id} has no name`);
  const name = names[0]!;
  const aliases: WatchlistEntry['aliases'] = [];
  const addAlias = (a: string, weak: boolean): void => {
    if (a === name || aliases.some((x) => x.name === a)) return;
    const script = detectScript(a);
    aliases.push({ name: a, ...(weak ? { weak } : {}), ...(script ? { script } : {}) });
  };
  for (const a of [...names.slice(1), ...values(props, 'alias'), ...values(props, 'previousName')])
    addAlias(a, false);
  for (const a of values(props, 'weakAlias')) addAlias(a, true);
  const countries: string[] = [];
  for (const key of [
    'nationality',
    'citizenship',
    'country',
    'jurisdiction',
    'mainCountry',
    'birthCountry',
    'flag',
  ]) {
    for (const c of values(props, key)) {
      const code = toCountryCode(c);
      if (code) pushUnique(countries, code);
      else warn(`unknown country "${c}" in ${key}`);
    }
  }
  const birthDates: string[] = [];
  for (const key of ['birthDate', 'incorporationDate', 'buildDate']) {
    for (const d of values(props, key))
      pushUnique(
        birthDates,
        toIsoDate(d.slice(0, 10)) ?? toIsoDate(d.slice(0, 7)) ?? toIsoDate(d.slice(0, 4)),
      );
  }
  const identifiers: WatchlistEntry['identifiers'] = [];
  for (const [key, type] of [
    ...ID_PROPS,
    ['idNumber', schema === 'Person' ? 'national_id' : 'registration'] as [string, string],
  ]) {
    for (const v of values(props, key))
      if (!identifiers.some((i) => i.type === type && i.value === v)) identifiers.push({ type, value: v });
  }
  const addresses = values(props, 'address').map((full) => ({ full }));
  const programs: string[] = [];
  for (const p of [...values(props, 'programId'), ...values(props, 'program')]) pushUnique(programs, p);
  const remarks = clean(values(props, 'notes').join(' '));
  const listedOn = toIsoDate(values(props, 'createdAt')[0]?.slice(0, 10));
  const sourceUrl = values(props, 'sourceUrl')[0];
  return {
    sourceId: id,
    schema,
    name,
    aliases,
    countries,
    birthDates,
    identifiers,
    addresses,
    programs,
    ...(listedOn ? { listedOn } : {}),
    ...(remarks ? { remarks } : {}),
    ...(sourceUrl ? { sourceUrl } : {}),
  };
}
