import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../domain/errors.ts';
import { writeTemp } from '../../../test/fixtures/lists/temp-files.ts';
import { toCountryCode } from './country-names.ts';
import { toIsoDate } from './entry-values.ts';
import { findInvalidUtf8, openUtf8Input } from './utf8-input.ts';

async function readAll(file: string, chunkBytes: number): Promise<string> {
  const input = openUtf8Input(file, chunkBytes);
  let text = '';
  for await (const c of input.chunks) text += c;
  return text;
}

describe('strict UTF-8 input', () => {
  it('property: findInvalidUtf8 agrees with a fatal TextDecoder', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        let valid = true;
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        } catch {
          valid = false;
        }
        const at = findInvalidUtf8(bytes);
        expect(at === -1).toBe(valid);
        // everything before the reported byte is valid UTF-8
        if (at >= 0)
          expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, at))).not.toThrow();
      }),
      { numRuns: 2000 },
    );
  });

  it('property: valid text decodes identically whatever the chunk size (characters split across chunks)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'grapheme', maxLength: 200 }),
        fc.integer({ min: 1, max: 7 }),
        async (text, chunk) => {
          expect(await readAll(writeTemp('t.txt', text), chunk)).toBe(text);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('property: a stray latin-1 byte is located exactly, whatever the chunk size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'grapheme', maxLength: 80 }),
        fc.string({ unit: 'grapheme-ascii', maxLength: 20 }),
        fc.integer({ min: 1, max: 9 }),
        async (before, after, chunk) => {
          const head = Buffer.from(before, 'utf8');
          const bytes = Buffer.concat([head, Buffer.from([0xe9]), Buffer.from(`x${after}`, 'utf8')]);
          const line = before.split('\n').length;
          const e = await readAll(writeTemp('p.txt', bytes), chunk).catch((err: unknown) => err);
          expect((e as DomainError).message).toContain(`invalid UTF-8 at line ${line} (byte ${head.length})`);
        },
      ),
      { numRuns: 60 },
    );
  });

  it.each([1, 2, 3, 4, 5, 64])(
    'locates a latin-1 byte on the right line with %i-byte chunks',
    async (chunk) => {
      const bytes = Buffer.concat([
        Buffer.from('first line ✓\nsecond ü line\n', 'utf8'),
        Buffer.from('third Jos\xe9\n', 'latin1'),
      ]);
      const e = await readAll(writeTemp('l.txt', bytes), chunk).catch((err: unknown) => err);
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).message).toMatch(/l\.txt: invalid UTF-8 at line 3 \(byte 39\)/);
    },
  );

  it('refuses a UTF-16 byte-order mark and a sequence cut at the end, strips a UTF-8 BOM', async () => {
    await expect(readAll(writeTemp('u.txt', Buffer.from('\ufeffabc', 'utf16le')), 1024)).rejects.toThrow(
      /UTF-16 byte-order mark/,
    );
    await expect(readAll(writeTemp('c.txt', Buffer.from([0x61, 0x0a, 0xe2, 0x9c])), 1024)).rejects.toThrow(
      /truncated UTF-8 sequence at the end \(line 2\)/,
    );
    expect(await readAll(writeTemp('b.txt', Buffer.from('\ufeffabc', 'utf8')), 2)).toBe('abc');
  });
});

describe('publisher country spellings', () => {
  it.each([
    ['Korea, North', 'KP'],
    ["Democratic People's Republic of Korea", 'KP'],
    ['Korea, South', 'KR'],
    ['Iran (Islamic Republic of)', 'IR'],
    ['Burma', 'MM'],
    ['Russia', 'RU'],
    ['Russian Federation', 'RU'],
    ['Syrian Arab Republic', 'SY'],
    ['Türkiye', 'TR'],
    ['Viet Nam', 'VN'],
    ['China, Hong Kong Special Administrative Region', 'HK'],
    ['United Kingdom of Great Britain and Northern Ireland', 'GB'],
    ['Congo, Democratic Republic of the', 'CD'],
    ['Palestinian', 'PS'],
    ['Region: Gaza', 'PS'],
    ['St. Kitts & Nevis', 'KN'],
    ['UNITED STATES', 'US'],
    ['de', 'DE'],
    ['DEU', 'DE'],
    ['NA', 'NA'],
    ['None Identified', undefined],
    ['-0- ', undefined],
    ['Atlantis', undefined],
  ])('%s -> %s', (name, code) => {
    expect(toCountryCode(name)).toBe(code);
  });
});

describe('dates', () => {
  it.each([
    ['1971-05-02', false, '1971-05-02'],
    ['02/05/1971', false, '1971-05-02'],
    ['05/02/1971', true, '1971-05-02'],
    ['05 Feb 1961', false, '1961-02-05'],
    ['Feb 1961', false, '1961-02'],
    ['1961', false, '1961'],
    ['2026-02-27T00:00:09.554Z', false, '2026-02-27'],
    ['31/02/1971', false, undefined],
    ['circa 1960', false, undefined],
  ])('%s (monthFirst %s) -> %s', (value, monthFirst, iso) => {
    expect(toIsoDate(value, monthFirst)).toBe(iso);
  });
});
