import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  generateRecords,
  loadDefaultPolicy,
  loadVocabulary,
} from '../../../test/fixtures/reporting/records.ts';
import {
  buildTransparencyReport,
  parsePeriod,
  registerSourceOfBlocks,
  renderRegisterBlock,
  renderReportFiles,
  renderReportFilesTo,
  splitIntoBlocks,
  type RegisterBlock,
  type SizedChunk,
  type TextChunk,
} from '../../engines/reporting/index.ts';
import { ReportFolderWriter } from './report-folder.writer.ts';

const dirs: string[] = [];
const tempDir = (): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-report-folder-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const OPTIONS = {
  formats: ['json', 'csv', 'xlsx', 'html'] as const,
  baseUrl: 'https://exports.example.eu/',
  licence: { name: 'CC-BY-4.0', title: 'CC BY 4.0', path: 'https://creativecommons.org/licenses/by/4.0/' },
};

function report() {
  const records = generateRecords({ count: 400, seed: 12, fromYear: 2025, toYear: 2025, exporters: 20 });
  // Multi-byte text in a published field: a buffer boundary may fall inside a character's bytes.
  records[1]!.parties[0]!.name = 'Überwachung Ŝystems — 監視 株式会社';
  records[1]!.parties[0]!.naturalPerson = false;
  records[1]!.parties[0]!.partyType = 'private_company';
  return buildTransparencyReport(records, {
    period: parsePeriod('2025'),
    policy: loadDefaultPolicy(),
    vocabulary: loadVocabulary(),
    authority: { id: 'de-folder', name: 'Folder test', memberState: 'DE' },
    publishedAt: '2026-06-01T00:00:00Z',
    previousPeriods: 1,
  }).report;
}

/** Bytes as a chunk that writes itself in pieces, as a cached file's part does. */
const sized = (chunk: TextChunk): SizedChunk => {
  const bytes = chunk as Uint8Array;
  return {
    length: bytes.length,
    readAt: (target, offset, from, n) => target.set(bytes.subarray(from, from + n), offset),
  };
};
const asKept = (b: RegisterBlock): RegisterBlock => ({ ...b, json: sized(b.json), csv: b.csv.map(sized) });

const listed = (dir: string): string[] => fs.readdirSync(dir).sort();

describe('ReportFolderWriter', () => {
  it('writes the same bytes as the files rendered in memory, through a buffer smaller than any file', async () => {
    const built = report();
    const expected = await renderReportFiles(built, OPTIONS);
    const { register, ...shell } = built;
    const blocks = await Promise.all(splitIntoBlocks(register).map((rows) => renderRegisterBlock(rows)));
    for (const bufferBytes of [128, 1000, undefined]) {
      const dir = tempDir();
      const writer = new ReportFolderWriter(dir, bufferBytes === undefined ? {} : { bufferBytes });
      await renderReportFilesTo(shell, registerSourceOfBlocks(blocks.map(asKept)), OPTIONS, writer);
      expect(writer.commit()).toEqual([...expected.keys()].sort());
      // The staging folder is gone: the folder holds the report's files and nothing else.
      expect(listed(dir)).toEqual([...expected.keys()].sort());
      for (const [name, bytes] of expected)
        expect(
          fs.readFileSync(path.join(dir, name)).equals(Buffer.from(bytes)),
          `${name} (${bufferBytes})`,
        ).toBe(true);
    }
  });

  it('replaces files of the same names only once all are written, and leaves nothing when aborted', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'report.json'), 'old');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    const writer = new ReportFolderWriter(dir, { bufferBytes: 128 });
    writer.stream('report.json', (out) => out.append('{"new": true}\n'), false);
    writer.put('report.html', new TextEncoder().encode('<p>new</p>'));
    // Not yet moved into place.
    expect(fs.readFileSync(path.join(dir, 'report.json'), 'utf8')).toBe('old');
    expect(writer.commit()).toEqual(['report.html', 'report.json']);
    expect(fs.readFileSync(path.join(dir, 'report.json'), 'utf8')).toBe('{"new": true}\n');
    expect(listed(dir)).toEqual(['notes.txt', 'report.html', 'report.json']);

    const failed = new ReportFolderWriter(dir);
    failed.stream('report.json', (out) => out.append('half'), false);
    failed.abort();
    expect(listed(dir)).toEqual(['notes.txt', 'report.html', 'report.json']);
    expect(fs.readFileSync(path.join(dir, 'report.json'), 'utf8')).toBe('{"new": true}\n');
  });

  it('gives the size and SHA-256 of a file when asked, and takes back a few bytes but not bytes written', () => {
    const dir = tempDir();
    const writer = new ReportFolderWriter(dir, { bufferBytes: 128 });
    const text = `${'0123456789'.repeat(50)},\n`;
    const facts = writer.stream(
      'a.csv',
      (out) => {
        out.append(text);
        out.dropLast(2);
      },
      true,
    );
    const written = text.slice(0, -2);
    expect(facts).toEqual({ bytes: 500, sha256: createHash('sha256').update(written).digest('hex') });
    expect(() =>
      writer.stream(
        'b.csv',
        (out) => {
          out.append(text);
          out.dropLast(400);
        },
        false,
      ),
    ).toThrow(/cannot take back/);
    expect(() => writer.put('../escape.csv', new Uint8Array())).toThrow(/bad or repeated/);
    expect(() => writer.put('a.csv', new Uint8Array())).toThrow(/bad or repeated/);
    writer.commit();
    expect(fs.readFileSync(path.join(dir, 'a.csv'), 'utf8')).toBe(written);
  });
});
