/**
 * The cache of register blocks (ADR 0009): one file per month of decisions, holding that month's register block (its
 * rows' lines of report.json and the register CSV files, and its sheet rows already deflated) and what a report needs
 * of the month without reading its applications again: their partial of the tables, the notices rendering raised, the
 * published strings for the redaction guard and the ids of the rows outside the record they name. Beside them, one
 * small file per month of the trend's earlier periods, holding only that month's trend groups.
 *
 * It is disposable and never a source: a missing, unreadable or foreign file is a miss, and the report renders the
 * month from the database as it would without a cache. Files are written whole under a temporary name and renamed, so
 * a reader sees a complete file or none; two builds writing one key write the same bytes. Keys are digests of every
 * input of a block (see `report-build.service.ts`), so a file is never updated: a changed month gets a new key, and
 * files not used for `PRUNE_AFTER_DAYS` are deleted.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  TABLE_IDS,
  type RegisterBlock,
  type RegisterNotice,
  type PartialTrendGroup,
  type ReportPartial,
  type SizedChunk,
  type TextChunk,
} from '../../engines/reporting/index.ts';

const MAGIC = Buffer.from('CUSTOS-REGISTER-BLOCK-1\n', 'latin1');
/** Files not used (read or written) for this long are deleted when a report is built. */
export const PRUNE_AFTER_DAYS = 45;
const SUFFIX = '.block';
/** An earlier period's month, as the trend needs it (its settled applications' trend groups): small JSON files. */
const TREND_MAGIC = 'CUSTOS-TREND-MONTH-1\n';
const TREND_SUFFIX = '.trend';

interface StoredTrendMonth {
  key: string;
  exporters: string[];
  trend: StoredTrendGroup[];
}

/** What a cached month holds besides its block. */
export interface CachedMonthMeta {
  month: string;
  /** Its settled applications reduced to what the report's summary, tables and trend need of them. */
  partial: ReportPartial;
  /** Notices raised while its rows were rendered, in register order. */
  notices: RegisterNotice[];
  /** The distinct strings of its published rows, trimmed and case-folded (`publishedStrings`). */
  strings: string[];
  /** The parties its applications name, and a digest of what a row shows of them (`partiesDigest`). */
  partyIds: string[];
  partiesDigest: string;
  /**
   * Items and organisations its applications name: their confidential text is read fresh at every build, for the
   * guard (the applications' and exporters' ids need no list: a published string equal to one would look like a UUID).
   */
  items: string[];
  organisations: string[];
}

/** `CachedMonthMeta` as stored: lists of ids as one string each, a partial's exporters numbered (a smaller header). */
interface StoredMeta {
  month: string;
  partial: Omit<ReportPartial, 'units' | 'trend'> & {
    exporters: string[];
    units: Record<string, [key: string[], exporter: number, valueCents: number, applications: number][]>;
    trend: StoredTrendGroup[];
  };
  notices: RegisterNotice[];
  strings: string[];
  partyIds: string;
  partiesDigest: string;
  items: string;
  organisations: string;
}

const ids = (joined: string): string[] => (joined === '' ? [] : joined.split(','));

type StoredTrendGroup = [
  exporter: number,
  cyberSurveillance: 0 | 1,
  denied: 0 | 1,
  applications: number,
  valueCents: number,
];

/** Numbers exporters' ids in the order first met (a stored group names its exporter by number). */
function exporterNumbering(): { exporters: string[]; number: (id: string) => number } {
  const exporters: string[] = [];
  const numbered = new Map<string, number>();
  return {
    exporters,
    number: (id) => {
      let n = numbered.get(id);
      if (n === undefined) {
        n = exporters.length;
        exporters.push(id);
        numbered.set(id, n);
      }
      return n;
    },
  };
}

const encodeTrend = (
  trend: readonly PartialTrendGroup[],
  number: (id: string) => number,
): StoredTrendGroup[] =>
  trend.map((g) => [
    number(g.exporterId),
    g.cyberSurveillance ? 1 : 0,
    g.denied ? 1 : 0,
    g.applications,
    g.valueCents,
  ]);

const decodeTrend = (trend: readonly StoredTrendGroup[], exporters: readonly string[]): PartialTrendGroup[] =>
  trend.map(([exporter, cyber, denied, applications, valueCents]) => ({
    exporterId: exporters[exporter]!,
    cyberSurveillance: cyber === 1,
    denied: denied === 1,
    applications,
    valueCents,
  }));

function encodeMeta(meta: CachedMonthMeta): StoredMeta {
  const { exporters, number } = exporterNumbering();
  const { units, trend, ...counts } = meta.partial;
  return {
    month: meta.month,
    partial: {
      ...counts,
      exporters,
      units: Object.fromEntries(
        Object.entries(units).map(([table, us]) => [
          table,
          us.map((u) => [[...u.key], number(u.exporterId), u.valueCents, u.applications ?? 1]),
        ]),
      ),
      trend: encodeTrend(trend, number),
    },
    notices: meta.notices,
    strings: meta.strings,
    partyIds: meta.partyIds.join(','),
    partiesDigest: meta.partiesDigest,
    items: meta.items.join(','),
    organisations: meta.organisations.join(','),
  };
}

function decodeMeta(stored: StoredMeta): CachedMonthMeta {
  const { exporters, units, trend, ...counts } = stored.partial;
  const decodedUnits = {} as ReportPartial['units'];
  for (const table of TABLE_IDS) {
    decodedUnits[table] = (units[table] ?? []).map(([key, exporter, valueCents, applications]) => ({
      key,
      exporterId: exporters[exporter]!,
      valueCents,
      applications,
    }));
  }
  return {
    month: stored.month,
    partial: {
      ...counts,
      units: decodedUnits,
      trend: decodeTrend(trend, exporters),
    },
    notices: stored.notices,
    strings: stored.strings,
    partyIds: ids(stored.partyIds),
    partiesDigest: stored.partiesDigest,
    items: ids(stored.items),
    organisations: ids(stored.organisations),
  };
}

interface Header {
  key: string;
  rows: number;
  tableRows: number[];
  /** Byte lengths of the sections after the header: json, csv per table, deflated sheet per table. */
  sections: number[];
  sheets: { crc: number; size: number }[];
  meta: StoredMeta;
}

/** A month read from the cache: its block (text read from the file straight into the output) and its meta. */
export interface CachedMonth {
  key: string;
  meta: CachedMonthMeta;
  block: RegisterBlock;
  /** Closes its file (once; later calls do nothing). */
  close(): void;
}

/** A part of an open file, read into place when the output is written. */
function filePart(fd: number, position: number, length: number): SizedChunk {
  return {
    length,
    readAt: (target, offset, from, bytes) => {
      if (from < 0 || bytes < 0 || from + bytes > length)
        throw new RangeError(`register block cache: bytes ${from}+${bytes} outside a part of ${length}`);
      for (let done = 0; done < bytes;) {
        const n = fs.readSync(fd, target, offset + done, bytes - done, position + from + done);
        if (n === 0)
          throw new Error(`register block cache: file ended early at byte ${position + from + done}`);
        done += n;
      }
    },
  };
}

function readExactly(fd: number, length: number, position: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  filePart(fd, position, length).readAt(out, 0, 0, length);
  return out;
}

export class RegisterBlockCache {
  constructor(readonly dir: string) {}

  private fileOf(key: string, suffix = SUFFIX): string {
    if (!/^[0-9a-f]{64}$/.test(key)) throw new Error(`register block cache: bad key ${key}`);
    return path.join(this.dir, `${key}${suffix}`);
  }

  /**
   * The month kept under `key`, or null (absent, or not a whole file of this format: then removed). The caller closes
   * it once the report is written.
   */
  open(key: string): CachedMonth | null {
    const file = this.fileOf(key);
    let fd: number;
    try {
      fd = fs.openSync(file, 'r');
    } catch {
      return null;
    }
    try {
      const size = fs.fstatSync(fd).size;
      const start = readExactly(fd, Math.min(size, MAGIC.length + 4), 0);
      if (start.length < MAGIC.length + 4 || !start.subarray(0, MAGIC.length).equals(MAGIC))
        throw new Error('not a register block file');
      const headerLength = start.readUInt32LE(MAGIC.length);
      const headerAt = MAGIC.length + 4;
      const header = JSON.parse(readExactly(fd, headerLength, headerAt).toString('utf8')) as Header;
      const tables = header.tableRows.length;
      const total = header.sections.reduce((n, l) => n + l, 0);
      if (
        header.key !== key ||
        header.sections.length !== 1 + 2 * tables ||
        headerAt + headerLength + total !== size
      )
        throw new Error('a register block file of another key or length');
      let at = headerAt + headerLength;
      const part = (length: number) => {
        const p = filePart(fd, at, length);
        at += length;
        return p;
      };
      const json = part(header.sections[0]!);
      const csv = header.tableRows.map((_, t) => part(header.sections[1 + t]!));
      const sheets = header.tableRows.map((_, t) => {
        const length = header.sections[1 + tables + t]!;
        const deflated = readExactly(fd, length, at);
        at += length;
        return { deflated, ...header.sheets[t]! };
      });
      let closed = false;
      // Used now: kept by the pruning.
      const now = new Date();
      fs.futimesSync(fd, now, now);
      return {
        key,
        meta: decodeMeta(header.meta),
        block: { rows: header.rows, tableRows: header.tableRows, json, csv, sheets },
        close: () => {
          if (closed) return;
          closed = true;
          fs.closeSync(fd);
        },
      };
    } catch {
      fs.closeSync(fd);
      fs.rmSync(file, { force: true });
      return null;
    }
  }

  /** Keeps a month's block (rendered now: its text as bytes) under `key`. */
  write(key: string, block: RegisterBlock, meta: CachedMonthMeta): void {
    const bytes = (c: TextChunk): Uint8Array => {
      if (!(c instanceof Uint8Array))
        throw new Error('register block cache: only blocks rendered now are kept');
      return c;
    };
    const sections = [bytes(block.json), ...block.csv.map(bytes), ...block.sheets.map((s) => s.deflated)];
    const header: Header = {
      key,
      rows: block.rows,
      tableRows: [...block.tableRows],
      sections: sections.map((s) => s.length),
      sheets: block.sheets.map((s) => ({ crc: s.crc, size: s.size })),
      meta: encodeMeta(meta),
    };
    const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32LE(headerBytes.length);
    this.writeWhole(this.fileOf(key), [MAGIC, length, headerBytes, ...sections]);
  }

  /**
   * The trend groups of an earlier period's month kept under `key`, or null (absent, or not a whole file of this
   * format: then removed).
   */
  openTrend(key: string): PartialTrendGroup[] | null {
    const file = this.fileOf(key, TREND_SUFFIX);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return null;
    }
    try {
      if (!text.startsWith(TREND_MAGIC)) throw new Error('not a trend file');
      const stored = JSON.parse(text.slice(TREND_MAGIC.length)) as StoredTrendMonth;
      if (stored.key !== key || !Array.isArray(stored.trend) || !Array.isArray(stored.exporters))
        throw new Error('a trend file of another key');
      const groups = decodeTrend(stored.trend, stored.exporters);
      if (groups.some((g) => typeof g.exporterId !== 'string' || !Number.isSafeInteger(g.applications)))
        throw new Error('a damaged trend file');
      // Used now: kept by the pruning.
      const now = new Date();
      fs.utimesSync(file, now, now);
      return groups;
    } catch {
      fs.rmSync(file, { force: true });
      return null;
    }
  }

  /** Keeps the trend groups of an earlier period's month under `key`. */
  writeTrend(key: string, groups: readonly PartialTrendGroup[]): void {
    const { exporters, number } = exporterNumbering();
    const trend = encodeTrend(groups, number);
    const stored: StoredTrendMonth = { key, exporters, trend };
    this.writeWhole(this.fileOf(key, TREND_SUFFIX), [
      Buffer.from(TREND_MAGIC + JSON.stringify(stored), 'utf8'),
    ]);
  }

  /** Writes a file whole under a temporary name, then renames it: a reader sees all of it or none. */
  private writeWhole(file: string, chunks: readonly Uint8Array[]): void {
    fs.mkdirSync(this.dir, { recursive: true });
    const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const fd = fs.openSync(temporary, 'w');
    try {
      for (const chunk of chunks) {
        for (let done = 0; done < chunk.length;) done += fs.writeSync(fd, chunk, done, chunk.length - done);
      }
    } catch (error) {
      fs.closeSync(fd);
      fs.rmSync(temporary, { force: true });
      throw error;
    }
    fs.closeSync(fd);
    fs.renameSync(temporary, file);
  }

  /** Deletes files not used for `days` days, and temporary files left by a build that stopped; returns how many. */
  prune(now: Date, days = PRUNE_AFTER_DAYS): number {
    let removed = 0;
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch {
      return 0;
    }
    const before = now.getTime() - days * 86_400_000;
    const staleTemporary = now.getTime() - 86_400_000;
    for (const name of names) {
      const file = path.join(this.dir, name);
      const isBlock = name.endsWith(SUFFIX) || name.endsWith(TREND_SUFFIX);
      if (!isBlock && !name.endsWith('.tmp')) continue;
      try {
        const used = fs.statSync(file).mtimeMs;
        if (used < (isBlock ? before : staleTemporary)) {
          fs.rmSync(file, { force: true });
          removed += 1;
        }
      } catch {
        // Removed meanwhile by another build.
      }
    }
    return removed;
  }
}
