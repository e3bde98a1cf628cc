/**
 * Canary tests: a marker is planted in every confidential field and every natural person's name; every output format
 * is rendered and searched (XLSX unzipped, PDF content streams inflated and decoded). None may contain a marker,
 * while public text planted the same way (legal persons' names under an open policy) must be found: the search works.
 */
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { RegisterSourceRecord } from '../../domain/reporting.ts';
import { extractPdfText } from '../../../test/fixtures/reporting/pdf-text.ts';
import {
  generateRecords,
  loadDefaultPolicy,
  loadVocabulary,
} from '../../../test/fixtures/reporting/records.ts';
import { parsePeriod } from './period.ts';
import type { RedactionPolicy } from './redaction-policy.ts';
import { renderAtomFeed } from './render-atom.ts';
import { renderReportFiles } from './render-report.ts';
import { planPublication } from './report-revision.ts';
import { buildTransparencyReport } from './transparency-report.ts';

const CANARY = 'QQCANARY';
const PUBLIC = 'PUBLICLEGALOK';
const licence = {
  name: 'CC-BY-4.0',
  title: 'CC BY 4.0',
  path: 'https://creativecommons.org/licenses/by/4.0/',
};

function canaryRecords(legalNamesPublic: boolean): RegisterSourceRecord[] {
  const records = generateRecords({
    count: 300,
    seed: 11,
    fromYear: 2025,
    toYear: 2025,
    secret: (field, i) =>
      field.startsWith('legalPersonName') && legalNamesPublic
        ? `${PUBLIC}${i}`
        : `${CANARY}${field.replace(/\W/g, '')}${i}ZZ`,
  });
  // Natural persons however flagged: typed individual, or flagged natural in another type (a sole trader).
  return records.map((r, i) =>
    i % 4 === 0
      ? {
          ...r,
          parties: [
            ...r.parties,
            {
              role: 'end_user' as const,
              partyType: 'private_company' as const,
              sector: 'commercial' as const,
              name: `${CANARY}soletrader${i}ZZ`,
              naturalPerson: true,
              country: 'KE',
            },
            {
              role: 'ultimate_end_user' as const,
              partyType: 'individual' as const,
              sector: null,
              name: `${CANARY}individual${i}ZZ`,
              naturalPerson: false,
              country: 'KE',
            },
          ],
        }
      : r,
  );
}

async function renderEverything(
  records: RegisterSourceRecord[],
  policy: RedactionPolicy,
): Promise<Map<string, string>> {
  const { report } = buildTransparencyReport(records, {
    period: parsePeriod('2025'),
    policy,
    vocabulary: loadVocabulary(),
    authority: { id: 'de-test', name: 'Test authority', memberState: 'DE' },
    publishedAt: '2026-06-01T08:00:00Z',
    previousPeriods: 2,
  });
  expect(report.register.length).toBeGreaterThan(200);
  const files = await renderReportFiles(report, {
    formats: ['json', 'csv', 'xlsx', 'html', 'pdf'],
    baseUrl: 'https://exports.example.eu',
    licence,
    maxRegisterRowsHtml: 10_000,
    maxRegisterRowsPdf: 10_000,
  });
  const texts = new Map<string, string>();
  for (const [name, bytes] of files) {
    if (name.endsWith('.xlsx')) {
      const entries = unzipSync(bytes);
      expect(Object.keys(entries)).toContain('xl/worksheets/sheet1.xml');
      texts.set(
        name,
        Object.values(entries)
          .map((e) => new TextDecoder().decode(e))
          .join('\n'),
      );
    } else if (name.endsWith('.pdf')) {
      const { text, raw } = extractPdfText(bytes);
      expect(text.length).toBeGreaterThan(1000);
      texts.set(name, `${text}\n${raw}`);
    } else {
      texts.set(name, new TextDecoder().decode(bytes));
    }
  }
  const plan = planPublication([], report, null);
  if (plan.action !== 'publish') throw new Error('expected a first publication');
  texts.set(
    'feed.atom',
    renderAtomFeed([plan.revision], {
      baseUrl: 'https://exports.example.eu',
      title: 'Reports',
      author: 'Test authority',
    }),
  );
  return texts;
}

const withLegalNames = (p: RedactionPolicy): RedactionPolicy => ({
  ...p,
  fields: { ...p.fields, 'parties.name.legalPerson': { publish: true, source: 'test' } },
});

describe('canaries: no confidential field or natural person’s name reaches any output', () => {
  it('default policy (legal persons withheld too): no canary in JSON, CSV, data package, XLSX, HTML, PDF or Atom', async () => {
    const texts = await renderEverything(canaryRecords(false), loadDefaultPolicy());
    expect([...texts.keys()].sort()).toEqual(
      [
        'by-control-entry.csv',
        'by-decision.csv',
        'by-destination.csv',
        'by-end-user-type.csv',
        'cyber-surveillance.csv',
        'datapackage.json',
        'feed.atom',
        'register-items.csv',
        'register-parties.csv',
        'register.csv',
        'report.html',
        'report.json',
        'report.pdf',
        'report.schema.json',
        'report.xlsx',
        'trends.csv',
      ].sort(),
    );
    for (const [name, text] of texts) {
      expect(text.toUpperCase().includes(CANARY), `${name} contains a canary`).toBe(false);
    }
    // The vocabulary text replaces the exporter's description: present where the register is shown.
    for (const name of ['report.json', 'register-items.csv', 'report.xlsx', 'report.html']) {
      expect(texts.get(name)).toContain(
        'Software for the generation, command and control or delivery of intrusion software',
      );
    }
  });

  it('open policy: legal persons’ names are found in every register output (the search works); canaries still absent', async () => {
    const texts = await renderEverything(canaryRecords(true), withLegalNames(loadDefaultPolicy()));
    for (const name of ['report.json', 'register-parties.csv', 'report.xlsx', 'report.html', 'report.pdf']) {
      expect(texts.get(name), `${name} should show public legal names`).toMatch(new RegExp(`${PUBLIC}\\d+`));
    }
    for (const [name, text] of texts) {
      expect(text.toUpperCase().includes(CANARY), `${name} contains a canary`).toBe(false);
    }
  });
});
