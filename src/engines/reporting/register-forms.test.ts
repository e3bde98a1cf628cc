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
  registerForms,
  registerSourceOfForms,
  SHEET_ROW_NUMBER,
  sheetCellsAt,
} from './register-forms.ts';
import { renderReportFiles, renderReportFilesFrom } from './render-report.ts';
import { toPublicRow, type RegisterNotice } from './public-register.ts';
import {
  assembleTransparencyReport,
  buildTransparencyReport,
  type ReportFacts,
} from './transparency-report.ts';

const text = (bytes: Uint8Array | undefined): string => new TextDecoder().decode(bytes);

async function reportAndFiles(policy: RedactionPolicy) {
  const records = generateRecords({ count: 800, seed: 5, fromYear: 2025, toYear: 2025, exporters: 30 });
  // Text that markup, CSV and the placeholder would all trip on, in a published legal name.
  records[3]!.parties[0]!.name = ' Acme, "Sensors" & <Co>\u0001 ';
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

describe.each(policies)('register forms under %s', (_, policy) => {
  it('concatenated in register order, are the register part of report.json, the CSV files and the sheets', async () => {
    const { report, files } = await reportAndFiles(policy);
    expect(report.register.length).toBeGreaterThan(100);
    const forms = report.register.map(registerForms);

    const json = text(files.get('report.json'));
    const lines = forms.map((f, i) => `    ${f.json}${i + 1 < forms.length ? ',' : ''}\n`).join('');
    expect(json).toContain(`"register": [\n${lines}  ]`);

    const sheets = unzipSync(files.get('report.xlsx')!);
    REGISTER_TABLES.forEach((table, t) => {
      const csv = text(files.get(`${table.name}.csv`));
      expect(csv.slice(csv.indexOf('\r\n') + 2)).toBe(forms.map((f) => f.csv[t]).join(''));
      let n = 1;
      const rows = forms
        .flatMap((f) => f.sheet[t]!)
        .map((cells) => `<row r="${(n += 1)}">${sheetCellsAt(cells, n)}</row>`)
        .join('');
      const sheet = text(sheets[`xl/worksheets/sheet${t + 1}.xml`]);
      expect(sheet.slice(sheet.indexOf('</row>') + 6, sheet.indexOf('</sheetData>'))).toBe(rows);
    });
  });

  it('hold the row number only as the placeholder in cell references, never in cell text', async () => {
    const { report } = await reportAndFiles(policy);
    const forms = report.register.map(registerForms);
    for (const cells of forms.flatMap((f) => f.sheet.flat()))
      expect(cells.replace(/ r="[A-Z]+\u0001"/g, '')).not.toContain(SHEET_ROW_NUMBER);
    if (policy.fields['parties.name.legalPerson'].publish) {
      const sheet = forms.flatMap((f) => f.sheet[2]!).join('');
      expect(sheet).toContain('<t xml:space="preserve"> Acme, &quot;Sensors&quot; &amp; &lt;Co&gt; </t>');
      expect(forms.some((f) => f.sheet.flat().some((c) => c.includes(SHEET_ROW_NUMBER)))).toBe(true);
    }
  });

  it('render every file, byte for byte, when the report is rendered from them instead of from its rows', async () => {
    const { report } = await reportAndFiles(policy);
    const formats = ['json', 'csv', 'xlsx', 'html', 'pdf'] as const;
    const fromRows = await renderReportFiles(report, { ...OPTIONS, formats, maxRegisterRowsHtml: 50 });
    const { register, ...shell } = report;
    const fromForms = await renderReportFilesFrom(shell, registerSourceOfForms(register.map(registerForms)), {
      ...OPTIONS,
      formats,
      maxRegisterRowsHtml: 50,
    });
    expect([...fromForms.keys()]).toEqual([...fromRows.keys()]);
    for (const [name, bytes] of fromRows)
      expect(Buffer.from(fromForms.get(name)!).equals(Buffer.from(bytes)), name).toBe(true);
  });
});

describe('a report assembled from facts and forms made earlier (ADR 0009)', () => {
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
    // What a cache keeps of each application: its facts (no confidential text, no party names), its forms and the
    // notices rendering it raised. The reference is published, so a row does not depend on its position.
    const kept = records.map((r) => {
      const notices: RegisterNotice[] = [];
      const forms = registerForms(toPublicRow(r, options.policy, options.vocabulary, 'unused', notices));
      const facts: ReportFacts = {
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
      };
      return { facts, forms, notices };
    });
    const assembled = assembleTransparencyReport(
      kept.map((k) => ({ ...k.facts, kept: k })),
      (e, _, notices) => {
        notices.push(...e.kept.notices);
        return e.kept.forms;
      },
      options,
    );
    expect(assembled.notices).toEqual(built.notices);
    expect(built.notices.some((n) => n.reason.includes('NOT-IN-VOCABULARY'))).toBe(true);
    const formats = ['json', 'csv', 'xlsx', 'html', 'pdf'] as const;
    const fromRecords = await renderReportFiles(built.report, { ...OPTIONS, formats });
    const fromKept = await renderReportFilesFrom(assembled.shell, registerSourceOfForms(assembled.register), {
      ...OPTIONS,
      formats,
    });
    for (const [name, bytes] of fromRecords)
      expect(Buffer.from(fromKept.get(name)!).equals(Buffer.from(bytes)), name).toBe(true);
  });
});
