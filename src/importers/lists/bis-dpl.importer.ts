/** Importer of the BIS Denied Persons List (tab-separated text with a header row). */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { invalid, requiredIssue } from '../../domain/errors.ts';
import type { WatchlistEntry } from '../../domain/watchlist.ts';
import type { ImportedWatchlist, WatchlistImportOptions } from '../../domain/watchlist-import.ts';
import { isNoCountry, toCountryCode } from './country-names.ts';
import { streamCsvRecords, where } from './csv-records.ts';
import { clean, pushUnique, toIsoDate } from './entry-values.ts';
import { buildImportedWatchlist, checkImportedAt, EntryCollector, closeStream } from './import-result.ts';

const COLUMNS = [
  'Name',
  'Street_Address',
  'City',
  'State',
  'Country',
  'Postal_Code',
  'Effective_Date',
  'Expiration_Date',
  'Standard_Order',
  'Last_Update',
  'Action',
  'FR_Citation',
] as const;

/** Words that mark an organisation; the DPL does not say whether a party is a person or a company. */
const ORGANISATION_WORDS =
  /\b(LTD|LIMITED|LLC|L\.L\.C|INC|CORP|CORPORATION|CO|COMPANY|GMBH|AG|S\.?A|SARL|SRL|BV|B\.V|PLC|PTE|FZE|FZCO|FZ-LLC|TRADING|INTERNATIONAL|INDUSTRIES|ENTERPRISES?|GROUP|TECHNOLOG(Y|IES)|SOLUTIONS|SERVICES|SYSTEMS|AVIATION|AIRLINES?|ELECTRONICS|LOGISTICS|HOLDINGS?|ESTABLISHMENT|FIRM|AGENCY|INSTITUTE|UNIVERSITY|OOO|ZAO|OAO|JSC)\b\.?/i;

/**
 * Imports a BIS DPL file. The list has no ids: rows with the same name, effective date and Federal Register
 * citation are one denial (one entry, one address per row); sourceId = "dpl-" + 16 hex of the SHA-256 of
 * those three fields. Schema: Organization when the name carries a legal-form or organisation word, otherwise
 * LegalEntity (person or company unknown). publishedOn = the latest Last_Update in the file that is not after
 * the import date.
 */
export async function importBisDeniedPersonsList(
  filePath: string,
  options: WatchlistImportOptions,
): Promise<ImportedWatchlist> {
  const importedAt = checkImportedAt(options.importedAt);
  const file = path.basename(filePath);
  const collector = new EntryCollector(file);
  const byKey = new Map<string, WatchlistEntry>();
  let latestUpdate: string | null = null;
  let sawHeader = false;
  const stream = streamCsvRecords(filePath, { delimiter: '\t' });
  try {
    let step = await stream.next();
    while (!step.done) {
      const { fields, line } = step.value;
      if (!sawHeader) {
        const got = fields.map((f) => f.trim());
        if (got.length !== COLUMNS.length || COLUMNS.some((c, i) => got[i] !== c)) {
          throw invalid(`${file}: line ${line}: header is not the DPL layout (${COLUMNS.join(', ')}).`, [
            { path: where(file, line), message: 'unexpected header' },
          ]);
        }
        sawHeader = true;
        step = await stream.next();
        continue;
      }
      if (fields.length !== COLUMNS.length) {
        throw invalid(
          `${file}: line ${line}: ${fields.length} fields, the DPL has ${COLUMNS.length}; the import is refused.`,
          [{ path: where(file, line), message: 'wrong number of fields' }],
        );
      }
      const get = (c: (typeof COLUMNS)[number]): string | undefined => clean(fields[COLUMNS.indexOf(c)]);
      const name = get('Name');
      if (!name) {
        throw invalid(`${file}: line ${line}: Name is empty; the import is refused.`, [
          requiredIssue(`${where(file, line)}.Name`),
        ]);
      }
      const effective = toIsoDate(get('Effective_Date'), true);
      const citation = get('FR_Citation') ?? '';
      const key = `${name.toUpperCase()}|${effective ?? ''}|${citation}`;
      const update = toIsoDate(get('Last_Update'));
      // a Last_Update after the import (the real 2019 and 2022 files hold "3017-08-22") is a typo, not a date
      if (update && update <= importedAt.slice(0, 10) && (latestUpdate === null || update > latestUpdate)) {
        latestUpdate = update;
      }
      let entry = byKey.get(key);
      if (!entry) {
        entry = {
          sourceId: `dpl-${createHash('sha256').update(key).digest('hex').slice(0, 16)}`,
          schema: ORGANISATION_WORDS.test(name) ? 'Organization' : 'LegalEntity',
          name,
          aliases: [],
          countries: [],
          birthDates: [],
          identifiers: [],
          addresses: [],
          programs: ['Denied Persons List'],
          ...(effective ? { listedOn: effective } : {}),
        };
        const expiry = toIsoDate(get('Expiration_Date'), true);
        const remarks = [
          citation ? `FR: ${citation}.` : '',
          expiry ? `Denial expires ${expiry}.` : '',
          get('Standard_Order') === 'Y' ? 'Standard order.' : '',
          get('Action') ? `Action: ${get('Action')}.` : '',
        ].filter((r) => r !== '');
        if (remarks.length > 0) entry.remarks = remarks.join(' ');
        byKey.set(key, entry);
        collector.add(entry, `line ${line}`);
      }
      const countryRaw = get('Country');
      const cc = toCountryCode(countryRaw === 'PRC' ? 'CN' : countryRaw);
      if (countryRaw && !cc && !isNoCountry(countryRaw))
        collector.warn(`${where(file, line)}: unknown country "${countryRaw}"`);
      if (cc) pushUnique(entry.countries, cc);
      const city = get('City');
      const full = [get('Street_Address'), city, get('State'), get('Postal_Code'), countryRaw]
        .filter((p) => p !== undefined)
        .join(', ');
      if (full !== '' && !entry.addresses.some((a) => a.full === full)) {
        entry.addresses.push({ full, ...(city ? { city } : {}), ...(cc ? { country: cc } : {}) });
      }
      step = await stream.next();
    }
    if (!sawHeader) throw invalid(`${file}: empty file.`, [{ path: file, message: 'empty' }]);
    return buildImportedWatchlist(
      {
        sourceKind: 'bis-dpl',
        listName: options.listName ?? 'BIS Denied Persons List',
        publisher: 'U.S. Department of Commerce, Bureau of Industry and Security',
        publishedOn: latestUpdate,
        importedAt,
      },
      collector,
      [step.value],
    );
  } finally {
    await closeStream(stream);
  }
}
