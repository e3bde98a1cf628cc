/** Importer of the UN Security Council consolidated list XML (INDIVIDUALS and ENTITIES), streamed. */
import path from 'node:path';
import { invalid, requiredIssue } from '../../domain/errors.ts';
import type { WatchlistEntry, WatchlistIdentifier } from '../../domain/watchlist.ts';
import type { ImportedWatchlist, WatchlistImportOptions } from '../../domain/watchlist-import.ts';
import { addCountry, toCountryCode } from './country-names.ts';
import { clean, detectScript, pushUnique, toIdentifierType, toIsoDate, yearRange } from './entry-values.ts';
import { buildImportedWatchlist, checkImportedAt, EntryCollector, closeStream } from './import-result.ts';
import { childOf, childrenOf, streamXmlRecords, textOf, type XmlNode } from './xml-records.ts';

const RECORDS = new Set(['INDIVIDUAL', 'ENTITY']);

/**
 * Reads a UN consolidated list (https://scsanctions.un.org/resources/xml/en/consolidated.xml).
 * sourceId = DATAID; publishedOn = the root's dateGenerated (date part). Aliases of QUALITY "Low" are weak.
 */
export async function importUnSecurityCouncilXml(
  filePath: string,
  options: WatchlistImportOptions,
): Promise<ImportedWatchlist> {
  const importedAt = checkImportedAt(options.importedAt);
  const file = path.basename(filePath);
  const collector = new EntryCollector(file);
  let publishedOn: string | null = null;
  let rootName = '';
  const stream = streamXmlRecords(filePath, {
    recordNames: RECORDS,
    onRoot: (root) => {
      rootName = root.name;
      if (root.name !== 'CONSOLIDATED_LIST') {
        throw invalid(
          `${file}: root element <${root.name}> at line ${root.line}; a UN list has <CONSOLIDATED_LIST>.`,
          [{ path: `${root.name}:${root.line}`, message: 'not a UN consolidated list' }],
        );
      }
      publishedOn = toIsoDate(root.attrs.dateGenerated) ?? null;
    },
  });
  try {
    let step = await stream.next();
    while (!step.done) {
      const node = step.value;
      collector.add(toEntry(node, file, collector), `${node.name} at line ${node.line}`);
      step = await stream.next();
    }
    if (rootName === '') throw invalid(`${file}: empty document.`);
    return buildImportedWatchlist(
      {
        sourceKind: 'un-sc',
        listName: options.listName ?? 'UN Security Council Consolidated List',
        publisher: 'United Nations Security Council',
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
  const where = `${node.name} at line ${node.line}`;
  const dataId = textOf(node, 'DATAID');
  if (!/^\d+$/.test(dataId)) {
    throw invalid(`${file}: ${where} has no numeric DATAID; the import is refused.`, [
      requiredIssue(`${node.name}:${node.line}.DATAID`),
    ]);
  }
  const isPerson = node.name === 'INDIVIDUAL';
  const nameParts = ['FIRST_NAME', 'SECOND_NAME', 'THIRD_NAME', 'FOURTH_NAME'].map((n) => textOf(node, n));
  const name = clean(nameParts.filter((p) => p !== '').join(' '));
  if (!name) {
    throw invalid(`${file}: ${where} (DATAID ${dataId}) has no name; the import is refused.`, [
      requiredIssue(`${node.name}:${node.line}.FIRST_NAME`),
    ]);
  }
  const aliases: WatchlistEntry['aliases'] = [];
  const addAlias = (alias: string | undefined, weak: boolean): void => {
    const a = clean(alias);
    if (!a || a === name || aliases.some((x) => x.name === a)) return;
    const script = detectScript(a);
    aliases.push({ name: a, ...(weak ? { weak } : {}), ...(script ? { script } : {}) });
  };
  // "A (X) ; B (Y)": several names in one field, each also an alias
  if (name.includes(';')) for (const part of name.split(';')) addAlias(part, false);
  addAlias(textOf(node, 'NAME_ORIGINAL_SCRIPT'), false);

  const countries: string[] = [];
  const birthDates: string[] = [];
  const identifiers: WatchlistIdentifier[] = [];
  const addresses: WatchlistEntry['addresses'] = [];
  const country = (value: string): string | undefined => {
    if (!addCountry(countries, value)) collector.warn(`${where}: unknown country "${value}"`);
    return toCountryCode(value);
  };

  for (const a of childrenOf(node, isPerson ? 'INDIVIDUAL_ALIAS' : 'ENTITY_ALIAS')) {
    addAlias(textOf(a, 'ALIAS_NAME'), textOf(a, 'QUALITY').toLowerCase() === 'low');
    const dob = toIsoDate(textOf(a, 'DATE_OF_BIRTH'));
    if (dob) pushUnique(birthDates, dob);
  }
  for (const nat of childrenOf(node, 'NATIONALITY')) {
    for (const v of childrenOf(nat, 'VALUE'))
      if (v.text !== '' && v.text.toLowerCase() !== 'na') country(v.text);
  }
  for (const a of childrenOf(node, isPerson ? 'INDIVIDUAL_ADDRESS' : 'ENTITY_ADDRESS')) {
    const parts = ['STREET', 'CITY', 'STATE_PROVINCE', 'ZIP_CODE', 'COUNTRY'].map((n) => textOf(a, n));
    const full = clean(parts.filter((p) => p !== '').join(', '));
    if (!full) continue;
    const city = clean(textOf(a, 'CITY'));
    const code = textOf(a, 'COUNTRY') ? country(textOf(a, 'COUNTRY')) : undefined;
    addresses.push({ full, ...(city ? { city } : {}), ...(code ? { country: code } : {}) });
  }
  for (const d of childrenOf(node, 'INDIVIDUAL_DATE_OF_BIRTH')) {
    const date = toIsoDate(textOf(d, 'DATE'));
    if (date) pushUnique(birthDates, date);
    const year = textOf(d, 'YEAR');
    if (/^\d{4}$/.test(year)) pushUnique(birthDates, year);
    const from = Number(textOf(d, 'FROM_YEAR'));
    const to = Number(textOf(d, 'TO_YEAR'));
    if (from && to) for (const y of yearRange(from, to)) pushUnique(birthDates, y);
  }
  for (const p of childrenOf(node, 'INDIVIDUAL_PLACE_OF_BIRTH')) {
    if (textOf(p, 'COUNTRY')) country(textOf(p, 'COUNTRY'));
  }
  for (const d of childrenOf(node, 'INDIVIDUAL_DOCUMENT')) {
    const value = clean(textOf(d, 'NUMBER'));
    if (!value) continue;
    const label = `${textOf(d, 'TYPE_OF_DOCUMENT')} ${textOf(d, 'TYPE_OF_DOCUMENT2')}`;
    const issuer = toCountryCode(textOf(d, 'ISSUING_COUNTRY') || textOf(d, 'COUNTRY_OF_ISSUE'));
    identifiers.push({ type: toIdentifierType(label), value, ...(issuer ? { country: issuer } : {}) });
  }
  const programs: string[] = [];
  pushUnique(programs, textOf(node, 'UN_LIST_TYPE'));
  const reference = textOf(node, 'REFERENCE_NUMBER');
  const comments = clean(textOf(node, 'COMMENTS1'));
  const designation = childrenOf(childOf(node, 'DESIGNATION'), 'VALUE')
    .map((v) => v.text)
    .filter((t) => t !== '');
  const remarkParts = [
    reference ? `UN reference ${reference}.` : '',
    designation.length > 0 ? `Designation: ${designation.join('; ')}.` : '',
    comments ?? '',
  ].filter((p) => p !== '');
  const listedOn = toIsoDate(textOf(node, 'LISTED_ON'));
  return {
    sourceId: dataId,
    schema: isPerson ? 'Person' : 'Organization',
    name,
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
