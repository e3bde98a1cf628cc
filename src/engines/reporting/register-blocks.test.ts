import { inflateRawSync, constants as zlibConstants } from 'node:zlib';
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
import {
  REGISTER_TABLES,
  registerBlockOf,
  registerSourceOf,
  registerSourceOfBlocks,
  renderRegisterBlock,
  splitIntoBlocks,
  type RegisterBlock,
} from './register-blocks.ts';
import { sheetRowXml } from './render-xlsx.ts';
import { renderReportFiles, renderReportFilesFrom } from './render-report.ts';
import { toPublicRow, type RegisterNotice } from './public-register.ts';
import type { Cell } from './published-tables.ts';
import type { TransparencyReport } from './report-model.ts';
import {
  assembleTransparencyReport,
  buildTransparencyReport,
  type ReportFacts,
} from './transparency-report.ts';

const text = (bytes: Uint8Array | undefined): string => new TextDecoder().decode(bytes);

async function reportAndFiles(policy: RedactionPolicy) {
  const records = generateRecords({ count: 800, seed: 5, fromYear: 2025, toYear: 2025, exporters: 30 });
  // Text that markup, CSV and JSON lines would all trip on, in a published legal name.
  records[3]!.parties[0]!.name = ' Acme, "Sensors" & <Co>,\n\u0001 ';
  records[3]!.parties[0]!.naturalPerson = false;
  records[3]!.parties[0]!.partyType = 'private_company';
  const { report } = buildTransparencyReport(records, {
    period: parsePeriod('2025'),
    policy,
    vocabulary: loadVocabulary(),
    authority: { id: 'de-forms', name: 'Forms test', memberState: 'DE' },
    publishedAt: '2026-06-01T00:00:00Z',
    previousPeriods: 1,
  });
  const files = await renderReportFiles(report, { ...OPTIONS, formats: ['json', 'csv', 'xlsx'] });
  return { report, files };
}

const OPTIONS = {
  baseUrl: 'https://exports.example.eu/',
  licence: { name: 'CC-BY-4.0', title: 'CC BY 4.0', path: 'https://creativecommons.org/licenses/by/4.0/' },
};

const policies: [string, RedactionPolicy][] = [
  ['the default policy', loadDefaultPolicy()],
  [
    'a policy withholding the reference (row-N) and decision dates, publishing legal names',
    defaultPolicyWith('forms-shape', {
      reference: false,
      decidedOn: false,
      'parties.name.legalPerson': true,
    }),
  ],
];

const inflate = (bytes: Uint8Array): string =>
  inflateRawSync(bytes, { finishFlush: zlibConstants.Z_SYNC_FLUSH }).toString('utf8');

const blocksOf = (rows: Parameters<typeof splitIntoBlocks>[0] & TransparencyReport['register']) =>
  Promise.all(splitIntoBlocks(rows).map((b) => renderRegisterBlock(b)));

describe.each(policies)('register blocks under %s', (_, policy) => {
  it('joined in register order, are the register part of report.json, the CSV files and the sheets', async () => {
    const { report, files } = await reportAndFiles(policy);
    expect(report.register.length).toBeGreaterThan(100);
    const blocks = await blocksOf(report.register);
    // One block per month of decision when decision dates are published, and one of the rows without (pending).
    expect(blocks.length).toBe(new Set(report.register.map(registerBlockOf)).size);
    expect(blocks.length).toBe(policy.fields.decidedOn.publish ? 13 : 1);
    expect(blocks.reduce((n, b) => n + b.rows, 0)).toBe(report.register.length);

    const json = text(files.get('report.json'));
    const lines = blocks.map((b) => text(b.json as Uint8Array)).join('');
    expect(json).toContain(`"register": [\n${lines.slice(0, -2)}\n  ]`);

    const sheets = unzipSync(files.get('report.xlsx')!);
    REGISTER_TABLES.forEach((table, t) => {
      const csv = text(files.get(`${table.name}.csv`));
      expect(csv.slice(csv.indexOf('\r\n') + 2)).toBe(
        blocks.map((b) => text(b.csv[t] as Uint8Array)).join(''),
      );
      const sheet = text(sheets[`xl/worksheets/sheet${t + 1}.xml`]);
      const rows = blocks.map((b) => inflate(b.sheets[t]!.deflated)).join('');
      expect(sheet.slice(sheet.indexOf('</row>') + 6, sheet.indexOf('</sheetData>'))).toBe(rows);
      expect(rows).not.toContain(' r="');
    });
    if (policy.fields['parties.name.legalPerson'].publish) {
      expect(
        inflate(blocks.map((b) => b.sheets[2]!.deflated).find((d) => inflate(d).includes('Acme'))!),
      ).toContain('<t xml:space="preserve"> Acme, &quot;Sensors&quot; &amp; &lt;Co&gt;,\n </t>');
    }
  });

  it('render every file byte for byte (the workbook too) as the rows they were made of', async () => {
    const { report } = await reportAndFiles(policy);
    const formats = ['json', 'csv', 'xlsx', 'html', 'pdf'] as const;
    const fromRows = await renderReportFiles(report, { ...OPTIONS, formats, maxRegisterRowsHtml: 50 });
    const { register, ...shell } = report;
    const fromBlocks = await renderReportFilesFrom(shell, registerSourceOfBlocks(await blocksOf(register)), {
      ...OPTIONS,
      formats,
      maxRegisterRowsHtml: 50,
    });
    expect([...fromBlocks.keys()]).toEqual([...fromRows.keys()]);
    for (const [name, bytes] of fromRows)
      expect(Buffer.from(fromBlocks.get(name)!).equals(Buffer.from(bytes)), name).toBe(true);
  });

  it('give the sheet rows one by one as the rows do (a table longer than one sheet is written from them)', async () => {
    const { report } = await reportAndFiles(policy);
    const fromRows = registerSourceOf(report.register);
    const fromBlocks = registerSourceOfBlocks(await blocksOf(report.register));
    REGISTER_TABLES.forEach((table, t) => {
      const types = table.fields.map((f) => f.type);
      const expected = [...fromRows.sheetRows(t)].map((cells) => sheetRowXml(cells as Cell[], types));
      expect([...fromBlocks.sheetRows(t)]).toEqual(expected);
    });
    expect(fromBlocks.head(40)).toEqual(report.register.slice(0, 40));
  });
});

describe('a report assembled from facts and blocks made earlier (ADR 0009)', () => {
  it('is the report built from the source records: every file byte for byte, and the same notices', async () => {
    const records = generateRecords({ count: 900, seed: 8, fromYear: 2024, toYear: 2025, exporters: 25 });
    records.find(
      (r) => r.decidedOn?.startsWith('2025-0') && r.decision === 'granted',
    )!.lines[0]!.publicDescriptionCode = 'NOT-IN-VOCABULARY';
    const options = {
      period: parsePeriod('2025'),
      policy: loadDefaultPolicy(),
      vocabulary: loadVocabulary(),
      authority: { id: 'de-forms', name: 'Forms test', memberState: 'DE' },
      publishedAt: '2026-06-01T00:00:00Z',
      previousPeriods: 1,
    };
    const built = buildTransparencyReport(records, options);
    // What a cache keeps of each month: its applications' facts (no confidential text, no party names), its
    // block, and the notices rendering it raised. The reference is published, so a row does not depend on its place.
    const eligible = buildTransparencyReport(records, options).report.register;
    const months = new Map<string, { block: RegisterBlock; notices: RegisterNotice[]; first: string }>();
    for (const rows of splitIntoBlocks(eligible)) {
      const notices: RegisterNotice[] = [];
      const byRef = new Map(records.map((r) => [r.reference, r]));
      const again = rows.map((row) =>
        toPublicRow(byRef.get(row.reference!)!, options.policy, options.vocabulary, 'unused', notices),
      );
      months.set(registerBlockOf(rows[0]!), {
        block: await renderRegisterBlock(again),
        notices,
        first: rows[0]!.reference!,
      });
    }
    const facts = records.map((r): ReportFacts => ({
      applicationId: r.applicationId,
      reference: r.reference,
      memberState: r.memberState,
      receivedOn: r.receivedOn,
      decidedOn: r.decidedOn,
      decision: r.decision,
      exporterId: r.exporterId,
      destinationCountry: r.destinationCountry,
      lines: r.lines.map((l) => ({
        controlEntries: l.controlEntries,
        cyberSurveillanceCategory: l.cyberSurveillanceCategory,
        valueEur: l.valueEur,
      })),
      parties: r.parties.map((p) => ({ role: p.role, partyType: p.partyType })),
    }));
    const assembled = assembleTransparencyReport(
      facts,
      (e, _, notices) => {
        // A month's notices where its first row stands.
        const month = months.get(e.decision === 'pending' ? 'undated' : e.decidedOn!.slice(0, 7))!;
        if (month.first === e.reference) notices.push(...month.notices);
        return null;
      },
      options,
    );
    expect(assembled.notices).toEqual(built.notices);
    expect(built.notices.some((n) => n.reason.includes('NOT-IN-VOCABULARY'))).toBe(true);
    const formats = ['json', 'csv', 'xlsx', 'html', 'pdf'] as const;
    const fromRecords = await renderReportFiles(built.report, { ...OPTIONS, formats });
    const fromKept = await renderReportFilesFrom(
      assembled.shell,
      registerSourceOfBlocks([...months.values()].map((m) => m.block)),
      { ...OPTIONS, formats },
    );
    for (const [name, bytes] of fromRecords)
      expect(Buffer.from(fromKept.get(name)!).equals(Buffer.from(bytes)), name).toBe(true);
  });
});
