/** Importer of the EU Financial Sanctions Files consolidated XML (FSD export format 1.1), streamed. */
import path from 'node:path';
import { invalid, requiredIssue } from '../../domain/errors.ts';
import type { EntitySchema, WatchlistEntry } from '../../domain/watchlist.ts';
import type { ImportedWatchlist, WatchlistImportOptions } from '../../domain/watchlist-import.ts';
import { toCountryCode } from './country-names.ts';
import { clean, detectScript, pushUnique, toIsoDate } from './entry-values.ts';
import { buildImportedWatchlist, checkImportedAt, EntryCollector, closeStream } from './import-result.ts';
import { childrenOf, streamXmlRecords, type XmlNode } from './xml-records.ts';

const SCHEMA_OF: Record<string, EntitySchema> = { person: 'Person', enterprise: 'Organization' };
const ID_TYPE_OF: Record<string, string> = {
  passport: 'passport',
  id: 'national_id',
  regnumber: 'registration',
  fiscalcode: 'tax_id',
  ssn: 'social_security',
  swiftbic: 'swift',
  imo: 'imo',
};

/** EU country attributes: an ISO alpha-2 code, "00" for unknown. */
const euCountry = (code: string | undefined, description?: string): string | undefined =>
  code && code !== '00' ? toCountryCode(code) : description ? toCountryCode(description) : undefined;

/**
 * Reads an EU FSF export (https://webgate.ec.europa.eu/fsd/fsf). sourceId = sanctionEntity@logicalId; the name is
 * the first strong Latin-script nameAlias in English or without language that has a lastName (else the first such
 * English one, else the first), the others are aliases (strong="false" ones weak); programs are "EU-" + regulation@programme.
 * An entity without logicalId or without any nameAlias wholeName is refused (missing required field).
 */
export async function importEuFinancialSanctionsXml(
  filePath: string,
  options: WatchlistImportOptions,
): Promise<ImportedWatchlist> {
  const importedAt = checkImportedAt(options.importedAt);
  const file = path.basename(filePath);
  const collector = new EntryCollector(file);
  let publishedOn: string | null = null;
  const stream = streamXmlRecords(filePath, {
    recordNames: new Set(['sanctionEntity']),
    onRoot: (root) => {
      if (root.name !== 'export') {
        throw invalid(
          `${file}: root element <${root.name}> at line ${root.line}; an EU FSF file has <export>.`,
          [{ path: `${file}:${root.line}`, message: 'not an EU FSF export' }],
        );
      }
      publishedOn = toIsoDate(root.attrs.generationDate) ?? null;
    },
  });
  try {
    let step = await stream.next();
    while (!step.done) {
      const node = step.value;
      collector.add(toEntry(node, file), `sanctionEntity at line ${node.line}`);
      step = await stream.next();
    }
    return buildImportedWatchlist(
      {
        sourceKind: 'eu-fsf',
        listName: options.listName ?? 'EU Financial Sanctions (consolidated)',
        publisher: 'European Commission, DG FISMA (Financial Sanctions Database)',
        publishedOn,
        importedAt,
      },
      collector,
      [step.value],
    );
  } finally {
    await closeStream(stream);
  }
}

function toEntry(node: XmlNode, file: string): WatchlistEntry {
  const where = `sanctionEntity at line ${node.line}`;
  const id = node.attrs.logicalId ?? '';
  if (!/^\d+$/.test(id)) {
    throw invalid(`${file}: ${where} has no numeric logicalId; the import is refused.`, [
      requiredIssue(`${file}:${node.line}.logicalId`),
    ]);
  }
  const names = childrenOf(node, 'nameAlias')
    .map((a) => ({
      name: clean(a.attrs.wholeName),
      weak: a.attrs.strong === 'false',
      english:
        a.attrs.nameLanguage === '' || a.attrs.nameLanguage === 'EN' || a.attrs.nameLanguage === undefined,
      structured: clean(a.attrs.lastName) !== undefined,
    }))
    .filter(
      (a): a is { name: string; weak: boolean; english: boolean; structured: boolean } =>
        a.name !== undefined,
    );
  if (names.length === 0) {
    throw invalid(
      `${file}: ${where} (logicalId ${id}) has no nameAlias with a wholeName; the import is refused.`,
      [requiredIssue(`${file}:${node.line}.nameAlias`)],
    );
  }
  // the export has no "primary" flag: prefer a strong English (or unmarked) name with a last name, as published
  const usable = names.filter((n) => !n.weak && !detectScript(n.name));
  const primary =
    usable.find((n) => n.english && n.structured) ?? usable.find((n) => n.english) ?? usable[0] ?? names[0]!;
  const aliases: WatchlistEntry['aliases'] = [];
  for (const n of names) {
    if (n.name === primary.name || aliases.some((a) => a.name === n.name)) continue;
    const script = detectScript(n.name);
    aliases.push({ name: n.name, ...(n.weak ? { weak: true } : {}), ...(script ? { script } : {}) });
  }
  const countries: string[] = [];
  const birthDates: string[] = [];
  for (const c of childrenOf(node, 'citizenship'))
    pushUnique(countries, euCountry(c.attrs.countryIso2Code, c.attrs.countryDescription));
  for (const b of childrenOf(node, 'birthdate')) {
    const full = toIsoDate(b.attrs.birthdate);
    const year = b.attrs.year && /^\d{4}$/.test(b.attrs.year) ? b.attrs.year : undefined;
    const month = b.attrs.monthOfYear && year ? `${year}-${b.attrs.monthOfYear.padStart(2, '0')}` : undefined;
    pushUnique(birthDates, full ?? toIsoDate(month) ?? year);
    pushUnique(countries, euCountry(b.attrs.countryIso2Code));
  }
  const identifiers: WatchlistEntry['identifiers'] = [];
  for (const i of childrenOf(node, 'identification')) {
    const value = clean(i.attrs.number) ?? clean(i.attrs.latinNumber);
    if (!value) continue;
    const country = euCountry(i.attrs.countryIso2Code);
    identifiers.push({
      type: ID_TYPE_OF[i.attrs.identificationTypeCode ?? ''] ?? 'other',
      value,
      ...(country ? { country } : {}),
    });
  }
  const addresses: WatchlistEntry['addresses'] = [];
  for (const a of childrenOf(node, 'address')) {
    const country = euCountry(a.attrs.countryIso2Code, a.attrs.countryDescription);
    const parts = [
      a.attrs.street,
      a.attrs.poBox,
      a.attrs.zipCode,
      a.attrs.city,
      a.attrs.region,
      a.attrs.place,
    ]
      .map(clean)
      .filter((p): p is string => p !== undefined && p !== '-');
    const desc =
      a.attrs.countryDescription && a.attrs.countryDescription !== 'UNKNOWN'
        ? a.attrs.countryDescription
        : undefined;
    if (desc) parts.push(desc);
    if (parts.length === 0) continue;
    pushUnique(countries, country);
    const city = clean(a.attrs.city);
    addresses.push({ full: parts.join(', '), ...(city ? { city } : {}), ...(country ? { country } : {}) });
  }
  const programs: string[] = [];
  for (const r of childrenOf(node, 'regulation'))
    if (r.attrs.programme) pushUnique(programs, `EU-${r.attrs.programme}`);
  const remarkParts = [
    node.attrs.euReferenceNumber ? `EU reference ${node.attrs.euReferenceNumber}.` : '',
    node.attrs.unitedNationId ? `UN reference ${node.attrs.unitedNationId}.` : '',
    ...childrenOf(node, 'remark').map((r) => r.text),
  ].filter((r) => r !== '');
  const subject = childrenOf(node, 'subjectType')[0]?.attrs.code ?? '';
  const listedOn = toIsoDate(node.attrs.designationDate);
  return {
    sourceId: id,
    schema: SCHEMA_OF[subject] ?? 'LegalEntity',
    name: primary.name,
    aliases,
    countries,
    birthDates,
    identifiers,
    addresses,
    programs,
    ...(listedOn ? { listedOn } : {}),
    ...(remarkParts.length > 0 ? { remarks: remarkParts.join(' ') } : {}),
  };
}
