/** The register block cache's files: a round trip, what counts as a miss, and pruning. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  registerSourceOfBlocks,
  renderRegisterBlock,
  type ReportPartial,
  type SizedChunk,
} from '../../engines/reporting/index.ts';
import { RegisterBlockCache, type CachedMonthMeta } from './register-block.cache.ts';

const dirs: string[] = [];
const tempDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-cache-unit-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const key = (c: string) => c.repeat(64);
const partial: ReportPartial = {
  applications: 1,
  valueCents: 1250,
  cyberSurveillanceApplications: 0,
  withheldByDelay: 2,
  notices: [{ reference: 'R-1', reason: 'a notice' }],
  units: {
    byControlEntry: [{ key: ['5A001.j'], exporterId: 'e-1', valueCents: 1250, applications: 1 }],
    byDestination: [{ key: ['AE'], exporterId: 'e-1', valueCents: 1250, applications: 1 }],
    byEndUserType: [],
    byDecision: [{ key: ['granted'], exporterId: 'e-1', valueCents: 1250, applications: 1 }],
    cyberSurveillance: [],
  },
  trend: [{ exporterId: 'e-1', cyberSurveillance: false, denied: false, applications: 1, valueCents: 1250 }],
};
const meta: CachedMonthMeta = {
  month: '2025-03',
  partial,
  notices: [],
  strings: ['r-1', 'ae', 'é'],
  partyIds: ['p-1', 'p-2'],
  partiesDigest: 'abc',
  items: ['i-1'],
  organisations: [],
};
const row = {
  rowId: 'R-1',
  reference: 'R-1',
  memberState: 'DE',
  receivedOn: '2025-01-02',
  decidedOn: '2025-03-04',
  licenceType: 'individual',
  destinationCountry: 'AE',
  decision: 'granted',
  cyberSurveillance: false,
  totalValueEur: 12.5,
  items: [],
  parties: [],
  criteria: [],
  rights: [],
  consulted: false,
  denialRelated: false,
} as const;

describe('RegisterBlockCache', () => {
  it('gives back what it kept: the meta and the block, its text read from the file into place', async () => {
    const cache = new RegisterBlockCache(path.join(tempDir(), 'nested'));
    const block = await renderRegisterBlock([row as never]);
    cache.write(key('a'), block, meta);
    const month = cache.open(key('a'))!;
    try {
      expect(month.meta).toEqual(meta);
      const source = registerSourceOfBlocks([month.block]);
      expect(source.head(5)).toEqual([row]);
      const target = new Uint8Array(month.block.json.length);
      (month.block.json as SizedChunk).readAt(target, 0, 0, target.length);
      expect(Buffer.from(target).equals(Buffer.from(block.json as Uint8Array))).toBe(true);
      // In pieces, as a writer to a file copies it through its buffer; never past the part's end.
      const piece = new Uint8Array(7);
      (month.block.json as SizedChunk).readAt(piece, 2, 10, 5);
      expect(Buffer.from(piece.subarray(2)).equals(Buffer.from(target.subarray(10, 15)))).toBe(true);
      expect(() => (month.block.json as SizedChunk).readAt(piece, 0, target.length - 1, 2)).toThrow(
        RangeError,
      );
      expect(month.block.sheets.map((s) => Buffer.from(s.deflated).toString('hex'))).toEqual(
        block.sheets.map((s) => Buffer.from(s.deflated).toString('hex')),
      );
    } finally {
      month.close();
      month.close(); // a second close does nothing
    }
  });

  it('misses on an absent, foreign or torn file, and removes a bad one', async () => {
    const dir = tempDir();
    const cache = new RegisterBlockCache(dir);
    expect(cache.open(key('b'))).toBeNull();
    fs.writeFileSync(path.join(dir, `${key('c')}.block`), 'not a block file at all');
    expect(cache.open(key('c'))).toBeNull();
    expect(fs.existsSync(path.join(dir, `${key('c')}.block`))).toBe(false);
    cache.write(key('d'), await renderRegisterBlock([row as never]), meta);
    const file = path.join(dir, `${key('d')}.block`);
    fs.truncateSync(file, fs.statSync(file).size - 1);
    expect(cache.open(key('d'))).toBeNull();
    expect(fs.existsSync(file)).toBe(false);
    // A file renamed to another key is not that key's.
    cache.write(key('e'), await renderRegisterBlock([row as never]), meta);
    fs.renameSync(path.join(dir, `${key('e')}.block`), path.join(dir, `${key('f')}.block`));
    expect(cache.open(key('f'))).toBeNull();
    expect(() => cache.open('../escape')).toThrow(/bad key/);
  });

  it('prunes files unused for the given days and temporary files a stopped build left', async () => {
    const dir = tempDir();
    const cache = new RegisterBlockCache(dir);
    const block = await renderRegisterBlock([row as never]);
    cache.write(key('1'), block, meta);
    cache.write(key('2'), block, meta);
    fs.writeFileSync(path.join(dir, `${key('3')}.block.123.abcd.tmp`), 'partial');
    fs.writeFileSync(path.join(dir, 'unrelated.txt'), 'kept');
    const old = new Date('2026-01-01T00:00:00Z');
    fs.utimesSync(path.join(dir, `${key('1')}.block`), old, old);
    fs.utimesSync(path.join(dir, `${key('3')}.block.123.abcd.tmp`), old, old);
    expect(cache.prune(new Date('2026-03-01T00:00:00Z'), 45)).toBe(2);
    expect(fs.readdirSync(dir).sort()).toEqual([`${key('2')}.block`, 'unrelated.txt']);
    // Opening a file marks it used.
    fs.utimesSync(path.join(dir, `${key('2')}.block`), old, old);
    cache.open(key('2'))!.close();
    expect(cache.prune(new Date(Date.now() + 86_400_000), 45)).toBe(0);
  });

  it("keeps an earlier period's month as its trend groups alone; a bad file is a miss; pruned like blocks", () => {
    const dir = tempDir();
    const cache = new RegisterBlockCache(dir);
    const groups = [
      { exporterId: 'e-1', cyberSurveillance: true, denied: false, applications: 3, valueCents: 900 },
      { exporterId: 'e-2', cyberSurveillance: false, denied: true, applications: 1, valueCents: 0 },
      { exporterId: 'e-1', cyberSurveillance: false, denied: true, applications: 2, valueCents: 15 },
    ];
    expect(cache.openTrend(key('a'))).toBeNull();
    cache.writeTrend(key('a'), groups);
    cache.writeTrend(key('b'), []);
    expect(cache.openTrend(key('a'))).toEqual(groups);
    expect(cache.openTrend(key('b'))).toEqual([]);
    // A block and a trend month never answer for each other.
    expect(cache.open(key('a'))).toBeNull();
    const file = path.join(dir, `${key('a')}.trend`);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').slice(0, -5));
    expect(cache.openTrend(key('a'))).toBeNull();
    expect(fs.existsSync(file)).toBe(false);
    fs.renameSync(path.join(dir, `${key('b')}.trend`), path.join(dir, `${key('c')}.trend`));
    expect(cache.openTrend(key('c'))).toBeNull();
    cache.writeTrend(key('d'), groups);
    const old = new Date('2026-01-01T00:00:00Z');
    fs.utimesSync(path.join(dir, `${key('d')}.trend`), old, old);
    expect(cache.prune(new Date('2026-03-01T00:00:00Z'), 45)).toBe(1);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
