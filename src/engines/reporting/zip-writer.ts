/**
 * A deterministic ZIP writer: a fixed 1980-01-01 timestamp, no extra fields, entries in the given order, raw deflate
 * by Node's zlib at fixed level 1 (fast; large registers make gigabyte sheets). The same entries give the same bytes on every machine and time zone with the same
 * zlib (Node) version; a different zlib may compress differently (the entries' contents stay identical).
 */
import { DomainError } from '../../domain/errors.ts';
import { crc32 as zlibCrc32, deflateRawSync } from 'node:zlib';

/** CRC-32 (ISO-HDLC), by Node's native zlib. */
export const crc32 = (data: Uint8Array): number => zlibCrc32(data) >>> 0;

/** DOS date of 1980-01-01 (the ZIP epoch), time 00:00:00. */
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const DOS_TIME = 0;

/**
 * Zips the entries in the given order.
 * @example writeZip([{ name: 'a.txt', data: new TextEncoder().encode('hi') }]) // Uint8Array starting 'PK\x03\x04'
 */
export function writeZip(
  entries: readonly { name: string; data: Uint8Array | (() => Uint8Array) }[],
): Uint8Array {
  const enc = new TextEncoder();
  const chunks: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = enc.encode(entry.name);
    // Data given as a function is produced only now and not kept: only its compressed bytes stay.
    const data = typeof entry.data === 'function' ? entry.data() : entry.data;
    if (data.length > 0xfffffffe || offset > 0xfffffffe) {
      throw new DomainError(
        'TOO_LARGE',
        `Zip entry ${entry.name} is too large for a ZIP without ZIP64 (4 GiB).`,
      );
    }
    const compressed = deflateRawSync(data, { level: 1 });
    const crc = crc32(data);
    const local = new Uint8Array(30 + name.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true); // version needed
    lv.setUint16(6, 0x0800, true); // UTF-8 names
    lv.setUint16(8, 8, true); // deflate
    lv.setUint16(10, DOS_TIME, true);
    lv.setUint16(12, DOS_DATE, true);
    lv.setUint32(14, crc, true);
    lv.setUint32(18, compressed.length, true);
    lv.setUint32(22, data.length, true);
    lv.setUint16(26, name.length, true);
    lv.setUint16(28, 0, true);
    local.set(name, 30);
    const head = new Uint8Array(46 + name.length);
    const cv = new DataView(head.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 20, true); // made by
    cv.setUint16(6, 20, true);
    cv.setUint16(8, 0x0800, true);
    cv.setUint16(10, 8, true);
    cv.setUint16(12, DOS_TIME, true);
    cv.setUint16(14, DOS_DATE, true);
    cv.setUint32(16, crc, true);
    cv.setUint32(20, compressed.length, true);
    cv.setUint32(24, data.length, true);
    cv.setUint16(28, name.length, true);
    cv.setUint32(42, offset, true);
    head.set(name, 46);
    chunks.push(local, compressed);
    central.push(head);
    offset += local.length + compressed.length;
  }
  const centralSize = central.reduce((s, c) => s + c.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, entries.length, true);
  ev.setUint16(10, entries.length, true);
  ev.setUint32(12, centralSize, true);
  ev.setUint32(16, offset, true);
  const all = [...chunks, ...central, end];
  const out = new Uint8Array(all.reduce((s, c) => s + c.length, 0));
  let at = 0;
  for (const c of all) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
