/** Importer of the UK Sanctions List XML (FCDO, <Designations><Designation>), streamed. */
import path from 'node:path';
import { invalid, requiredIssue } from '../../domain/errors.ts';
import type { EntitySchema, WatchlistEntry } from '../../domain/watchlist.ts';
import type { ImportedWatchlist, WatchlistImportOptions } from '../../domain/watchlist-import.ts';
import { addCountry, toCountryCode } from './country-names.ts';
import { clean, detectScript, pushUnique, toIsoDate } from './entry-values.ts';
import { buildImportedWatchlist, checkImportedAt, EntryCollector, closeStream } from './import-result.ts';
import { childOf, childrenOf, streamXmlRecords, textOf, type XmlNode } from './xml-records.ts';

const SCHEMA_OF: Record<string, EntitySchema> = {
  individual: 'Person',
  entity: 'Organization',
  ship: 'Vessel',
};

/** UK dates are DD/MM/YYYY; unknown parts are written "dd" and "mm" ("dd/mm/1968" is the year 1968). */
export function toUkDate(value: string): string | undefined {
  const m = /^(\d{2}|dd)\/(\d{2}|mm)\/(\d{4})$/i.exec(value.trim());
  if (!m) return toIsoDate(value);
  if (!/^\d+$/.test(m[2]!)) return m[3];
  if (!/^\d+$/.test(m[1]!)) return toIsoDate(`${m[3]}-${m[2]}`);
  return toIsoDate(`${m[3]}-${m[2]}-${m[1]}`);
}

const nameOf = (n: XmlNode): string | undefined =>
  clean(['Name1', 'Name2', 'Name3', 'Name4', 'Name5', 'Name6'].map((k) => textOf(n, k)).join(' '));

/** Deepest descendants named `name` (the UK layout nests lists: DOBs/DOB, Nationalities/Nationality...). */
function descendants(node: XmlNode, name: string, out: XmlNode[] = []): XmlNode[] {
  for (const c of node.children) {
    if (c.name === name) out.push(c);
    else descendants(c, name, out);
  }
  return out;
}

/**
 * Reads a UK Sanctions List XML (https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.xml).
 * sourceId = UniqueID. Explicit rule: a Designation without UniqueID (or without a primary name) is refused, the
 * whole import with it, naming the element's line; nothing partial is returned.
 */
export async function importUkSanctionsListXml(
  filePath: string,
  options: WatchlistImportOptions,
): Promise<ImportedWatchlist> {
  const importedAt = checkImportedAt(options.importedAt);
  const file = path.basename(filePath);
  const collector = new EntryCollector(file);
  let publishedOn: string | null = null;
  const stream = streamXmlRecords(filePath, {
    recordNames: new Set(['Designation', 'DateGenerated']),
    onRoot: (root) => {
      if (root.name !== 'Designations') {
        throw invalid(
          `${file}: root element <${root.name}> at line ${root.line}; a UK list has <Designations>.`,
          [{ path: `${file}:${root.line}`, message: 'not a UK Sanctions List' }],
        );
      }
      publishedOn = toIsoDate(root.attrs.dateGenerated) ?? null;
    },
  });
  try {
    let step = await stream.next();
    while (!step.done) {
      const node = step.value;
      if (node.name === 'DateGenerated') publishedOn ??= toUkDate(node.text) ?? null;
      else collector.add(toEntry(node, file, collector), `Designation at line ${node.line}`);
      step = await stream.next();
    }
    return buildImportedWatchlist(
      {
        sourceKind: 'uk-fcdo',
        listName: options.listName ?? 'UK Sanctions List',
        publisher: 'UK Foreign, Commonwealth and Development Office',
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

function toEntry(node: XmlNode, file: string, collector: EntryCollector): WatchlistEntry {
  const where = `Designation at line ${node.line}`;
  const id = textOf(node, 'UniqueID');
  if (id === '') {
    throw invalid(
      `${file}: ${where} has no UniqueID; the import is refused (a designation must be identifiable).`,
      [requiredIssue(`${file}:${node.line}.UniqueID`)],
    );
  }
  const names = childrenOf(childOf(node, 'Names'), 'Name');
  const primaryNode = names.find((n) => /^primary name$/i.test(textOf(n, 'NameType')));
  const name = primaryNode ? nameOf(primaryNode) : undefined;
  if (!name) {
    throw invalid(`${file}: ${where} (${id}) has no primary name; the import is refused.`, [
      requiredIssue(`${file}:${node.line}.Names`),
    ]);
  }
  const aliases: WatchlistEntry['aliases'] = [];
  const addAlias = (alias: string | undefined, weak: boolean): void => {
    if (!alias || alias === name || aliases.some((a) => a.name === alias)) return;
    const script = detectScript(alias);
    aliases.push({ name: alias, ...(weak ? { weak } : {}), ...(script ? { script } : {}) });
  };
  for (const n of names) if (n !== primaryNode) addAlias(nameOf(n), /low/i.test(textOf(n, 'AliasStrength')));
  for (const n of descendants(node, 'NameNonLatinScript')) addAlias(clean(n.text), false);

  const countries: string[] = [];
  const country = (v: string): void => {
    if (!addCountry(countries, v)) collector.warn(`${file}: ${where}: unknown country "${v}"`);
  };
  for (const n of descendants(node, 'Nationality')) country(n.text);
  for (const n of descendants(node, 'CountryOfBirth')) country(n.text);
  for (const n of descendants(node, 'CurrentBelievedFlagOfShip')) country(n.text);
  const birthDates: string[] = [];
  for (const d of descendants(node, 'DOB')) pushUnique(birthDates, toUkDate(d.text));
  const identifiers: WatchlistEntry['identifiers'] = [];
  const addId = (type: string, value: string | undefined): void => {
    const v = clean(value);
    if (v && !identifiers.some((i) => i.type === type && i.value === v)) identifiers.push({ type, value: v });
  };
  for (const p of descendants(node, 'PassportNumber')) addId('passport', p.text);
  for (const p of descendants(node, 'NationalIdentifierNumber')) addId('national_id', p.text);
  for (const p of descendants(node, 'IMONumber')) addId('imo', p.text.replace(/^IMO\s*/i, ''));
  for (const p of descendants(node, 'BusinessRegistrationNumber')) addId('registration', p.text);
  const addresses: WatchlistEntry['addresses'] = [];
  for (const a of childrenOf(childOf(node, 'Addresses'), 'Address')) {
    const lines = [
      'AddressLine1',
      'AddressLine2',
      'AddressLine3',
      'AddressLine4',
      'AddressLine5',
      'AddressLine6',
      'AddressPostalCode',
    ]
      .map((k) => clean(textOf(a, k)))
      .filter((p): p is string => p !== undefined);
    const countryName = clean(textOf(a, 'AddressCountry'));
    if (countryName) {
      lines.push(countryName);
      country(countryName);
    }
    if (lines.length === 0) continue;
    const code = toCountryCode(countryName);
    addresses.push({ full: lines.join(', '), ...(code ? { country: code } : {}) });
  }
  const programs: string[] = [];
  pushUnique(programs, textOf(node, 'RegimeName'));
  const remarks = [
    textOf(node, 'UNReferenceNumber') ? `UN reference ${textOf(node, 'UNReferenceNumber')}.` : '',
    textOf(node, 'SanctionsImposed')
      ? `Sanctions: ${textOf(node, 'SanctionsImposed').replace(/\|/g, ', ')}.`
      : '',
    textOf(node, 'OtherInformation'),
  ].filter((r) => r !== '');
  const listedOn = toUkDate(textOf(node, 'DateDesignated'));
  return {
    sourceId: id,
    schema: SCHEMA_OF[textOf(node, 'IndividualEntityShip').toLowerCase()] ?? 'LegalEntity',
    name,
    aliases,
    countries,
    birthDates,
    identifiers,
    addresses,
    programs,
    ...(listedOn ? { listedOn } : {}),
    ...(remarks.length > 0 ? { remarks: remarks.join(' ') } : {}),
  };
}
