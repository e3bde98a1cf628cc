/**
 * The report's workbook read back by an independent reader, openpyxl (Debian's python3-openpyxl, which
 * scripts/test.sh installs): every sheet, name, header and cell must come back as the published tables hold it. Our
 * own tests only read the XML we wrote; this one catches a workbook that is well-formed but read differently (cells
 * shifted by a missing reference, a lost space, a number read as text). A missing reader FAILS, never skips.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateRecords, loadDefaultPolicy, loadVocabulary } from '../../fixtures/reporting/records.ts';
import {
  buildPublishedTables,
  type Cell,
  type PublishedTable,
} from '../../../src/engines/reporting/published-tables.ts';
import { parsePeriod } from '../../../src/engines/reporting/period.ts';
import { REGISTER_TABLES } from '../../../src/engines/reporting/register-blocks.ts';
import type { PublicRegisterRow } from '../../../src/engines/reporting/report-model.ts';
import { renderXlsx } from '../../../src/engines/reporting/render-xlsx.ts';
import { buildTransparencyReport } from '../../../src/engines/reporting/transparency-report.ts';

const PYTHON = process.env.CUSTOS_PYTHON ?? '/usr/bin/python3';

/** Prints every sheet as JSON: [[title, [row, ...]], ...], each cell as openpyxl reads it. */
const DUMP = `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
print(json.dumps([[ws.title, [list(r) for r in ws.iter_rows(values_only=True)]] for ws in wb.worksheets]))
`;

function readWithOpenpyxl(bytes: Uint8Array): [string, Cell[][]][] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-xlsx-'));
  const file = path.join(dir, 'report.xlsx');
  fs.writeFileSync(file, bytes);
  try {
    return JSON.parse(
      execFileSync(PYTHON, ['-c', DUMP, file], { encoding: 'utf8', stdio: 'pipe', maxBuffer: 256 << 20 }),
    ) as [string, Cell[][]][];
  } catch (e) {
    const { code, stderr } = e as { code?: string; stderr?: string };
    if (code === 'ENOENT' || String(stderr).includes("No module named 'openpyxl'")) {
      throw new Error(
        `openpyxl is missing for ${PYTHON}: this test needs it. Install it with "apt-get install -y python3-openpyxl" (scripts/test.sh does this).`,
      );
    }
    throw e;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A table (header first) as openpyxl gives it back: euro amounts at their two written decimals, a left-out cell as None. */
const expectedRows = (table: PublishedTable, register: readonly PublicRegisterRow[]): Cell[][] => [
  table.fields.map((f) => f.name),
  ...(table.rows
    ? [...table.rows]
    : register.flatMap(REGISTER_TABLES.find((t) => t.name === table.name)!.rowsOf)
  ).map((row) =>
    row.map((v, c) =>
      typeof v === 'number' && table.fields[c]!.type === 'number' ? Number(v.toFixed(2)) : v,
    ),
  ),
];

describe('XLSX read back by openpyxl', () => {
  const report = buildTransparencyReport(
    generateRecords({ count: 400, seed: 7, fromYear: 2024, toYear: 2025 }),
    {
      period: parsePeriod('2025'),
      policy: loadDefaultPolicy(),
      vocabulary: loadVocabulary(),
      authority: { id: 'de-test', name: 'Test authority', memberState: 'DE' },
      publishedAt: '2026-03-01T09:00:00Z',
      previousPeriods: 2,
    },
  ).report;

  it('gives back every sheet, header and cell of the published tables', async () => {
    const tables = buildPublishedTables(report);
    const sheets = readWithOpenpyxl(await renderXlsx(report, tables));
    expect(sheets.map(([title]) => title)).toEqual(tables.map((t) => t.name));
    // Some cells are left out (null), so some references are needed: the case this test exists for.
    expect(
      tables.some((t) => expectedRows(t, report.register).some((r) => r.slice(0, -1).includes(null))),
    ).toBe(true);
    tables.forEach((table, i) => {
      const [, rows] = sheets[i]!;
      expect(rows.length, table.name).toBe(table.rowCount + 1);
      expect(rows, table.name).toEqual(expectedRows(table, report.register));
    });
  });

  it('keeps white space, markup and gaps in any position, and drops characters XML cannot hold', async () => {
    const table: PublishedTable = {
      name: 'edge cases',
      title: 'edge cases',
      fields: [
        { name: 'a', type: 'string', description: '' },
        { name: 'b', type: 'number', description: '' },
        { name: 'c', type: 'string', description: '' },
        { name: 'd', type: 'string', description: '' },
      ],
      rows: [
        [' leading', 'trailing ', 'two\nlines', '<b> & "q"'],
        [null, 1.5, null, 'd'],
        [null, null, null, 'only last'],
        ['only first', null, null, null],
        [null, null, null, null],
        ['tab\there', 'bell\u0007', 'é ✓ 𝄞', ''],
      ],
      rowCount: 6,
    };
    const [[title, rows]] = readWithOpenpyxl(await renderXlsx(report, [table])) as [[string, Cell[][]]];
    expect(title).toBe('edge cases');
    expect(rows).toEqual([
      ['a', 'b', 'c', 'd'],
      [' leading', 'trailing ', 'two\nlines', '<b> & "q"'],
      [null, 1.5, null, 'd'],
      [null, null, null, 'only last'],
      ['only first', null, null, null],
      [null, null, null, null],
      ['tab\there', 'bell', 'é ✓ 𝄞', ''],
    ]);
  });
});
