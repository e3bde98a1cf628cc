/**
 * The published bytes pinned: digests of every file of three reports (the default policy, and two policies that
 * withhold or publish the fields that change the register's shape: the reference, so rows are `row-N`; legal
 * names; empty cells, written as empty spreadsheet cells). A change to any renderer that changes one byte
 * of a published file fails here. That is the point: a revision of a published report must stay reproducible byte
 * for byte, so such a change is made on purpose, with the digests below updated in the same commit and the reason in
 * its message. The spreadsheet is compared by the content of its entries, not its compressed bytes (zlib's output
 * may differ between Node versions while the workbook is the same).
 */
import { createHash } from 'node:crypto';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
  defaultPolicyWith,
  generateRecords,
  loadDefaultPolicy,
  loadVocabulary,
} from '../../../test/fixtures/reporting/records.ts';
import { parsePeriod } from './period.ts';
import type { RedactionPolicy } from './redaction-policy.ts';
import { renderReportFiles } from './render-report.ts';
import { buildTransparencyReport } from './transparency-report.ts';

const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex').slice(0, 20);

async function digests(policy: RedactionPolicy): Promise<Record<string, string>> {
  const records = generateRecords({ count: 3000, seed: 99, fromYear: 2024, toYear: 2025, exporters: 40 });
  const { report } = buildTransparencyReport(records, {
    period: parsePeriod('2025'),
    policy,
    vocabulary: loadVocabulary(),
    authority: { id: 'de-golden', name: 'Golden & "bytes" <authority>', memberState: 'DE' },
    publishedAt: '2026-04-01T08:30:00Z',
    previousPeriods: 2,
  });
  const files = await renderReportFiles(report, {
    formats: ['json', 'csv', 'xlsx', 'html', 'pdf'],
    baseUrl: 'https://exports.example.eu/',
    licence: { name: 'CC-BY-4.0', title: 'CC BY 4.0', path: 'https://creativecommons.org/licenses/by/4.0/' },
    compressPdf: false,
  });
  const out: Record<string, string> = {};
  for (const [name, bytes] of files) {
    if (name.endsWith('.xlsx')) {
      for (const [entry, content] of Object.entries(unzipSync(bytes))) out[`${name}:${entry}`] = sha(content);
    } else out[name] = sha(bytes);
  }
  return out;
}

describe('published bytes', () => {
  it('default policy', async () => {
    expect(await digests(loadDefaultPolicy())).toEqual({
      'by-control-entry.csv': '4525d2feddcb6e0a5196',
      'by-decision.csv': '3d6607c641e336e014ad',
      'by-destination.csv': '454346c8318cb654d6a2',
      'by-end-user-type.csv': '3f2e9f3abd90ec833f98',
      'cyber-surveillance.csv': 'cf911eacdd9b2e7e737e',
      'datapackage.json': 'ebd0b7e9a5dcd32c6ce1',
      'register-items.csv': '836421a6accb92a45aba',
      'register-parties.csv': '9b19917220321344555f',
      'register.csv': '7e6b83e105db058bde07',
      'report.html': 'a15201c5360cdcf48ecf',
      'report.json': '3b8bf662af84719ee4f0',
      'report.pdf': 'b849d3f5e2e9a43f4ec7',
      'report.schema.json': '3f0caf2328bb1c4e3a25',
      'report.xlsx:[Content_Types].xml': '4ab8362817a6fee6da04',
      'report.xlsx:_rels/.rels': 'cf53234f4d1caa9d5b16',
      'report.xlsx:docProps/core.xml': 'd3fb6bc4e25695748eaf',
      'report.xlsx:xl/_rels/workbook.xml.rels': '66f0cb8fe080a01a690f',
      'report.xlsx:xl/styles.xml': 'd38b5552875c42a046ce',
      'report.xlsx:xl/workbook.xml': '8ee4c83ff016b82a74b9',
      'report.xlsx:xl/worksheets/sheet1.xml': '5c966bd582f618eb3128',
      'report.xlsx:xl/worksheets/sheet2.xml': 'cc111455e3eda815f5eb',
      'report.xlsx:xl/worksheets/sheet3.xml': 'b4ceb26c6d0e6e2a5148',
      'report.xlsx:xl/worksheets/sheet4.xml': '4fd1ba3d4f2445821f0f',
      'report.xlsx:xl/worksheets/sheet5.xml': 'e2715bb9dc76a8c0dd57',
      'report.xlsx:xl/worksheets/sheet6.xml': 'ca67ff84b89bb015da17',
      'report.xlsx:xl/worksheets/sheet7.xml': '040424124a26f6e6b43f',
      'report.xlsx:xl/worksheets/sheet8.xml': '5a2d9b3b39716c7abd73',
      'report.xlsx:xl/worksheets/sheet9.xml': '0a3cbeb457a83a2146dc',
      'trends.csv': '762fe00df23be2ef57dc',
    });
  });

  it('reference withheld (row-N), legal names published, quantities and decision dates withheld', async () => {
    const policy = defaultPolicyWith('golden-shape', {
      reference: false,
      'parties.name.legalPerson': true,
      'lines.quantity': false,
      decidedOn: false,
      'grounds.criteria': false,
    });
    expect(await digests(policy)).toEqual({
      'by-control-entry.csv': '4525d2feddcb6e0a5196',
      'by-decision.csv': '3d6607c641e336e014ad',
      'by-destination.csv': '454346c8318cb654d6a2',
      'by-end-user-type.csv': '3f2e9f3abd90ec833f98',
      'cyber-surveillance.csv': 'cf911eacdd9b2e7e737e',
      'datapackage.json': '7b174d1118b7d9fdc084',
      'register-items.csv': '2a6fddb2c6bef7450b86',
      'register-parties.csv': 'eee86e6a54731b8a9606',
      'register.csv': '4373ba30307ea186fb04',
      'report.html': '873042959f457bd0d03d',
      'report.json': 'cd34e8946a013a890a31',
      'report.pdf': 'd96a5de8b88571fde0b9',
      'report.schema.json': '3f0caf2328bb1c4e3a25',
      'report.xlsx:[Content_Types].xml': '4ab8362817a6fee6da04',
      'report.xlsx:_rels/.rels': 'cf53234f4d1caa9d5b16',
      'report.xlsx:docProps/core.xml': 'd3fb6bc4e25695748eaf',
      'report.xlsx:xl/_rels/workbook.xml.rels': '66f0cb8fe080a01a690f',
      'report.xlsx:xl/styles.xml': 'd38b5552875c42a046ce',
      'report.xlsx:xl/workbook.xml': '8ee4c83ff016b82a74b9',
      'report.xlsx:xl/worksheets/sheet1.xml': '47319371435cddf3fe89',
      'report.xlsx:xl/worksheets/sheet2.xml': '8a1dc9b91ad73b15ffe0',
      'report.xlsx:xl/worksheets/sheet3.xml': 'aa731ce92f059d85570b',
      'report.xlsx:xl/worksheets/sheet4.xml': '4fd1ba3d4f2445821f0f',
      'report.xlsx:xl/worksheets/sheet5.xml': 'e2715bb9dc76a8c0dd57',
      'report.xlsx:xl/worksheets/sheet6.xml': 'ca67ff84b89bb015da17',
      'report.xlsx:xl/worksheets/sheet7.xml': '040424124a26f6e6b43f',
      'report.xlsx:xl/worksheets/sheet8.xml': '5a2d9b3b39716c7abd73',
      'report.xlsx:xl/worksheets/sheet9.xml': '0a3cbeb457a83a2146dc',
      'trends.csv': '762fe00df23be2ef57dc',
    });
  });
});
