import { createHash } from 'node:crypto';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../domain/errors.ts';
import {
  generateRecords,
  loadDefaultPolicy,
  loadVocabulary,
} from '../../../test/fixtures/reporting/records.ts';
import { extractPdfText } from '../../../test/fixtures/reporting/pdf-text.ts';
import type { DataPackageDescriptor } from './data-package.ts';
import { parsePeriod } from './period.ts';
import { renderAtomFeed } from './render-atom.ts';
import { renderCsv } from './render-csv.ts';
import { renderXlsx } from './render-xlsx.ts';
import { renderReportFiles } from './render-report.ts';
import { transparencyReportSchema, type TransparencyReport } from './report-model.ts';
import { digestReportContent, planPublication } from './report-revision.ts';
import { renderBarChartSvg, renderTrendChartSvg, renderWorldMapSvg } from './svg-charts.ts';
import { buildTransparencyReport } from './transparency-report.ts';
import {
  crc32,
  crc32Combine,
  deflatePart,
  deflatePartAsync,
  writeZip,
  writeZipStreamed,
} from './zip-writer.ts';

const licence = {
  name: 'CC-BY-4.0',
  title: 'CC BY 4.0',
  path: 'https://creativecommons.org/licenses/by/4.0/',
};
const context = { baseUrl: 'https://exports.example.eu/', licence };
const records = generateRecords({ count: 500, seed: 21, fromYear: 2024, toYear: 2025 });
const buildReport = (
  recs = records,
  publishedAt = '2026-03-01T09:00:00Z',
  revision?: { number: number; note: string | null },
): TransparencyReport =>
  buildTransparencyReport(recs, {
    period: parsePeriod('2025-Q4'),
    policy: loadDefaultPolicy(),
    vocabulary: loadVocabulary(),
    authority: { id: 'de-test', name: 'Test authority', memberState: 'DE' },
    publishedAt,
    previousPeriods: 4,
    ...(revision ? { revision } : {}),
  }).report;
const ALL = ['json', 'csv', 'xlsx', 'html', 'pdf'] as const;

describe('renderers', () => {
  it('are byte-identical for the same input and policy, whatever the input order', async () => {
    const a = await renderReportFiles(buildReport(records), { ...context, formats: ALL });
    const b = await renderReportFiles(buildReport([...records].reverse()), { ...context, formats: ALL });
    expect([...a.keys()]).toEqual([...b.keys()]);
    for (const [name, bytes] of a)
      expect(Buffer.from(bytes).equals(Buffer.from(b.get(name)!)), name).toBe(true);
    const later = await renderReportFiles(buildReport(records, '2026-03-02T09:00:00Z'), {
      ...context,
      formats: ['pdf', 'xlsx'],
    });
    expect(Buffer.from(later.get('report.pdf')!).equals(Buffer.from(a.get('report.pdf')!))).toBe(false);
  });

  it('JSON conforms to the model and its JSON Schema names every top-level field', async () => {
    const report = buildReport();
    const files = await renderReportFiles(report, { ...context, formats: ['json'] });
    const json = JSON.parse(new TextDecoder().decode(files.get('report.json')));
    expect(json).toEqual(report);
    expect(() => transparencyReportSchema.parse(json)).not.toThrow();
    const schema = JSON.parse(new TextDecoder().decode(files.get('report.schema.json')));
    expect(schema.$schema).toContain('2020-12');
    expect(Object.keys(schema.properties).sort()).toEqual(Object.keys(json).sort());
    expect(schema.additionalProperties).toBe(false);
  });

  it('the data package describes every CSV with its bytes, hash and schema', async () => {
    const files = await renderReportFiles(buildReport(), { ...context, formats: ['csv'] });
    const pkg = JSON.parse(new TextDecoder().decode(files.get('datapackage.json'))) as DataPackageDescriptor;
    expect(pkg.id).toBe('https://exports.example.eu/reports/de-test/2025-q4/r1/datapackage.json');
    expect(pkg.resources.map((r) => r.path).sort()).toEqual(
      [...files.keys()].filter((n) => n.endsWith('.csv')).sort(),
    );
    for (const r of pkg.resources) {
      const bytes = files.get(r.path)!;
      expect(r.bytes).toBe(bytes.length);
      expect(r.hash).toBe(`sha256:${createHash('sha256').update(bytes).digest('hex')}`);
      const header = new TextDecoder().decode(bytes).split('\r\n')[0]!.split(',');
      expect(header).toEqual(r.schema.fields.map((f) => f.name));
    }
  });

  it('CSV quotes commas, quotes and newlines (RFC 4180) and leaves nulls empty', () => {
    const csv = new TextDecoder().decode(
      renderCsv({
        name: 't',
        title: 't',
        fields: [
          { name: 'a', type: 'string', description: '' },
          { name: 'b', type: 'number', description: '' },
          { name: 'c', type: 'boolean', description: '' },
        ],
        rows: [['x, "y"\nz', 1.5, null]],
        rowCount: 1,
      }),
    );
    expect(csv).toBe('a,b,c\r\n"x, ""y""\nz",1.50,\r\n');
  });

  it('XLSX is a valid zip with one sheet per table and the values of the report', async () => {
    const report = buildReport();
    const files = await renderReportFiles(report, { ...context, formats: ['xlsx'] });
    const entries = unzipSync(files.get('report.xlsx')!);
    expect(Object.keys(entries).filter((n) => n.startsWith('xl/worksheets/')).length).toBe(9);
    const workbook = new TextDecoder().decode(entries['xl/workbook.xml']);
    expect(workbook).toContain('name="cyber-surveillance"');
    const register = new TextDecoder().decode(entries['xl/worksheets/sheet1.xml']);
    expect(register).toContain(`<t>${report.register[0]!.rowId}</t>`);
    expect(new TextDecoder().decode(entries['docProps/core.xml'])).toContain('2026-03-01T09:00:00Z');
  });

  it('XLSX marks white space to keep only where a cell has it, and escapes markup', async () => {
    const bytes = await renderXlsx(buildReport(), [
      {
        name: 't',
        title: 't',
        fields: [{ name: 'a', type: 'string', description: '' }],
        rows: [['plain'], [' leading'], ['two\nlines'], ['<b> & "q"'], [null]],
        rowCount: 5,
      },
    ]);
    const sheet = new TextDecoder().decode(unzipSync(bytes)['xl/worksheets/sheet1.xml']);
    expect(sheet).toContain('</row><row><c t="inlineStr"><is><t>plain</t></is></c></row>');
    expect(sheet).toContain('<t xml:space="preserve"> leading</t>');
    expect(sheet).toContain('<t xml:space="preserve">two\nlines</t>');
    expect(sheet).toContain('<t>&lt;b&gt; &amp; &quot;q&quot;</t>');
    expect(sheet).toContain('<row></row></sheetData>');
  });

  it('XLSX writes rows and cells without references, a left-out cell as an empty one (none at the end of a row)', async () => {
    const bytes = await renderXlsx(buildReport(), [
      {
        name: 't',
        title: 't',
        fields: ['a', 'b', 'c', 'd', 'e'].map((name) => ({ name, type: 'string' as const, description: '' })),
        rows: [
          ['x', 1, true, 'y', ''],
          [null, 'b', null, 3, false],
          [null, null, null, null, 'e'],
          ['a', null, null, null, null],
        ],
        rowCount: 4,
      },
    ]);
    const sheet = new TextDecoder().decode(unzipSync(bytes)['xl/worksheets/sheet1.xml']);
    expect(sheet).toContain(
      '<row><c t="inlineStr"><is><t>x</t></is></c><c><v>1</v></c><c t="b"><v>1</v></c>' +
        '<c t="inlineStr"><is><t>y</t></is></c><c t="inlineStr"><is><t></t></is></c></row>',
    );
    expect(sheet).toContain(
      '<row><c/><c t="inlineStr"><is><t>b</t></is></c><c/><c><v>3</v></c><c t="b"><v>0</v></c></row>',
    );
    expect(sheet).toContain('<row><c/><c/><c/><c/><c t="inlineStr"><is><t>e</t></is></c></row>');
    expect(sheet).toContain('<row><c t="inlineStr"><is><t>a</t></is></c></row></sheetData>');
    expect(sheet).not.toContain(' r="');
  });

  it('zip writer: CRC-32 of a known string and a fixed 1980 timestamp', () => {
    expect(crc32(new TextEncoder().encode('123456789')).toString(16)).toBe('cbf43926');
    const zip = writeZip([{ name: 'a.txt', data: new TextEncoder().encode('hello') }]);
    expect(new TextDecoder().decode(unzipSync(zip)['a.txt'])).toBe('hello');
    expect(new DataView(zip.buffer).getUint16(12, true)).toBe(0x21);
  });

  it('zip writer: an entry produced in chunks (reusing two buffers) gives the same bytes as the data given whole', async () => {
    const text = Array.from({ length: 50_000 }, (_, i) => `<row r="${i}">${'é€x'.repeat(i % 7)}</row>`).join(
      '',
    );
    const whole = new TextEncoder().encode(text);
    const buffers = [new Uint8Array(7_919), new Uint8Array(7_919)];
    const streamed = await writeZipStreamed([
      { name: 'small.txt', data: new TextEncoder().encode('hello') },
      {
        name: 'big.xml',
        data: async (emit) => {
          for (let at = 0, turn = 0; at < whole.length; at += 7_919, turn += 1) {
            const chunk = whole.subarray(at, at + 7_919);
            const buffer = buffers[turn % 2]!.subarray(0, chunk.length);
            buffer.set(chunk); // overwrites the chunk emitted two turns ago: emit must have let zlib finish with it
            await emit(buffer);
          }
        },
      },
    ]);
    const oneShot = writeZip([
      { name: 'small.txt', data: new TextEncoder().encode('hello') },
      { name: 'big.xml', data: whole },
    ]);
    expect(new TextDecoder().decode(unzipSync(streamed)['big.xml'])).toBe(text);
    expect(Buffer.from(streamed).equals(Buffer.from(oneShot))).toBe(true);
  });

  it('zip writer: CRC-32 combined from parts equals the CRC of the whole, at every split and length', () => {
    const bytes = new Uint8Array(70_001);
    for (let i = 0, x = 7; i < bytes.length; i += 1) bytes[i] = x = (x * 1103515245 + 12345) & 0xff;
    for (const cut of [0, 1, 2, 3, 7, 8, 255, 256, 4096, 65_537, 70_000, 70_001]) {
      const a = bytes.subarray(0, cut);
      const b = bytes.subarray(cut);
      expect(crc32Combine(crc32(a), crc32(b), b.length)).toBe(crc32(bytes));
    }
  });

  it('zip writer: an entry of parts deflated apart is the data whole, for an independent reader', async () => {
    const text = Array.from(
      { length: 30_000 },
      (_, i) => `<row><c><v>${i}</v></c>${'é€'.repeat(i % 5)}</row>`,
    );
    const cuts = [0, 1, 10, 9_999, 20_000, 30_000];
    const parts = [];
    for (let k = 0; k + 1 < cuts.length; k += 1) {
      const part = new TextEncoder().encode(text.slice(cuts[k], cuts[k + 1]).join(''));
      // Alternately on the calling thread and on zlib's pool: the same bytes either way.
      parts.push(k % 2 === 0 ? deflatePart(part) : await deflatePartAsync(part));
    }
    expect(
      Buffer.from(parts[1]!.deflated).equals(
        Buffer.from(deflatePart(new TextEncoder().encode(text.slice(1, 10).join(''))).deflated),
      ),
    ).toBe(true);
    const zip = await writeZipStreamed([
      { name: 'a.txt', data: new TextEncoder().encode('hello') },
      { name: 'big.xml', data: { parts } },
      { name: 'empty.xml', data: { parts: [] } },
    ]);
    const back = unzipSync(zip); // fflate checks nothing of the CRC: compared below from the central directory
    expect(new TextDecoder().decode(back['big.xml'])).toBe(text.join(''));
    expect(back['empty.xml']!.length).toBe(0);
    expect(new TextDecoder().decode(back['a.txt'])).toBe('hello');
    const whole = new TextEncoder().encode(text.join(''));
    const local = Buffer.from(zip).indexOf('big.xml') - 30;
    expect(new DataView(zip.buffer, zip.byteOffset).getUint32(local + 14, true)).toBe(crc32(whole));
    expect(new DataView(zip.buffer, zip.byteOffset).getUint32(local + 22, true)).toBe(whole.length);
  });

  it('HTML is one accessible page: lang, title, skip link, captions, scoped headers, charts with text alternatives', async () => {
    const report = buildReport();
    const html = new TextDecoder().decode(
      (await renderReportFiles(report, { ...context, formats: ['html'] })).get('report.html'),
    );
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(html).toContain('href="#main">Skip to content</a>');
    expect(html.match(/<svg [^>]*role="img" aria-labelledby="[^"]+-title [^"]+-desc"/g)?.length).toBe(3);
    expect((html.match(/<table>/g) ?? []).length).toBe((html.match(/<caption>/g) ?? []).length);
    expect(html).not.toMatch(/<script/);
    expect(html).toContain(
      '<link rel="canonical" href="https://exports.example.eu/reports/de-test/2025-q4/r1/">',
    );
    const top = report.tables.byDestination.rows
      .filter((r) => r.key[0] !== '_other')
      .sort((a, b) => b.applications - a.applications)[0]!;
    expect(html).toContain(`${top.label}: ${top.applications}`.split(' (')[0]!);
  });

  it('PDF carries the report’s date and its text', async () => {
    const report = buildReport();
    const pdf = (await renderReportFiles(report, { ...context, formats: ['pdf'] })).get('report.pdf')!;
    const { text, raw } = extractPdfText(pdf);
    expect(raw.startsWith('%PDF-')).toBe(true);
    expect(raw).toContain('(D:20260301090000Z)');
    expect(text).toContain(`Applications published: ${report.summary.applications}`);
  });
});

describe('charts', () => {
  it('map shades destination countries and gives them titles; bars and trend carry their values', () => {
    const map = renderWorldMapSvg(
      new Map([
        ['AE', 12],
        ['KE', 1],
      ]),
      { id: 'm', title: 'Map', description: 'd' },
    );
    expect(map).toContain('<title>United Arab Emirates: 12</title>');
    expect(map).toContain('<title>Kenya: 1</title>');
    expect(map.match(/<path /g)!.length).toBeGreaterThan(170);
    const bars = renderBarChartSvg(
      [
        { label: '5A001.j', value: 4 },
        { label: '<b>', value: 2 },
      ],
      { id: 'b', title: 'B', description: 'd' },
    );
    expect(bars).toContain('&lt;b&gt;');
    expect(bars).toContain('>4</text>');
    const trend = renderTrendChartSvg(
      [
        { label: 'Q1', value: 1 },
        { label: 'Q2', value: null },
        { label: 'Q3', value: 3 },
        { label: 'Q4', value: 5 },
      ],
      { id: 't', title: 'T', description: 'd' },
    );
    expect(trend.match(/<polyline/g)!.length).toBe(1);
    expect(trend).toContain('n/p');
  });
});

describe('revisions and feed', () => {
  it('first publication, idempotent republication, correction only with a note', () => {
    const r1 = buildReport();
    const first = planPublication([], r1, null);
    expect(first.action).toBe('publish');
    if (first.action !== 'publish') return;
    expect(first.revision.revision).toBe(1);
    const again = planPublication([first.revision], buildReport(records, '2026-03-01T09:00:00Z'), null);
    expect(again.action).toBe('unchanged');
    const changed = buildReport(records.slice(0, 400), '2026-03-05T09:00:00Z');
    expect(digestReportContent(changed)).not.toBe(first.revision.contentSha256);
    try {
      planPublication([first.revision], changed, '  ');
      expect.unreachable();
    } catch (e) {
      expect(isDomainError(e) && e.code).toBe('CONFLICT');
    }
    const second = planPublication([first.revision], changed, 'Corrected the value of two applications.');
    expect(second.action === 'publish' && second.revision).toMatchObject({
      revision: 2,
      supersedesSha256: first.revision.contentSha256,
      note: 'Corrected the value of two applications.',
    });
    if (second.action !== 'publish') return;
    const feed = renderAtomFeed([first.revision, second.revision], {
      baseUrl: 'https://exports.example.eu',
      title: 'Reports',
      author: 'Authority',
    });
    expect(feed).toContain('<id>https://exports.example.eu/reports/feed.atom</id>');
    expect(feed.indexOf('/r2/')).toBeLessThan(feed.indexOf('/r1/'));
    expect(feed).toContain('Correction: Corrected the value of two applications.');
    expect(
      renderAtomFeed([second.revision, first.revision], {
        baseUrl: 'https://exports.example.eu',
        title: 'Reports',
        author: 'Authority',
      }),
    ).toBe(feed);
  });
});
