import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { writeTemp } from '../../../test/fixtures/lists/temp-files.ts';
import { importWatchlistFile } from './import-watchlist.ts';

const importedAt = '2026-11-29T19:00:00Z';
const openFiles = (): number => fs.readdirSync('/proc/self/fd').length;

describe.skipIf(!fs.existsSync('/proc/self/fd'))('a refusal early in a large file closes the file', () => {
  const rows = Array.from(
    { length: 40_000 },
    (_, i) => `id-${i},Person,Person number ${i} with a long enough name`,
  );
  rows[2] = 'id-0,Person,Duplicate';
  const csv = writeTemp('big.csv', `id,schema,name\n${rows.join('\n')}\n`);
  const xml = writeTemp(
    'big.xml',
    `<CONSOLIDATED_LIST><INDIVIDUALS>${Array.from({ length: 20_000 }, (_, i) => `<INDIVIDUAL><DATAID>${i % 5}</DATAID><FIRST_NAME>P${i}</FIRST_NAME></INDIVIDUAL>`).join('')}</INDIVIDUALS></CONSOLIDATED_LIST>`,
  );
  const jsonl = writeTemp(
    'big.jsonl',
    Array.from({ length: 20_000 }, (_, i) =>
      JSON.stringify({ id: `e${i % 3}`, schema: 'Person', properties: { name: [`P ${i}`] } }),
    ).join('\n'),
  );

  it.each([
    ['custos-csv', csv, /line 4: duplicate id id-0/],
    ['un-sc', xml, /duplicate id 0/],
    ['ftm-jsonl', jsonl, /line 4: duplicate id e0/],
  ])('%s', async (kind, file, message) => {
    expect(fs.statSync(file).size).toBeGreaterThan(600_000);
    const before = openFiles();
    for (let i = 0; i < 15; i++)
      await expect(importWatchlistFile(kind, file, { importedAt })).rejects.toThrow(message);
    await new Promise((r) => setTimeout(r, 50));
    expect(openFiles()).toBeLessThanOrEqual(before + 1);
  });
});
