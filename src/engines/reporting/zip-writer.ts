/**
 * A deterministic ZIP writer: a fixed 1980-01-01 timestamp, no extra fields, entries in the given order, raw deflate
 * by Node's zlib at fixed level 1 (fast; large registers make gigabyte sheets). The same entries give the same bytes
 * on every machine and time zone with the same zlib (Node) version; a different zlib may compress differently (the
 * entries' contents stay identical). Deflate output does not depend on how the input is cut into chunks, so a
 * streamed entry compresses to the same bytes as the same data given whole.
 */
import { once } from 'node:events';
import { promisify } from 'node:util';
import {
  constants as zlibConstants,
  crc32 as zlibCrc32,
  createDeflateRaw,
  deflateRaw,
  deflateRawSync,
  type ZlibOptions,
} from 'node:zlib';
import { DomainError } from '../../domain/errors.ts';

/** CRC-32 (ISO-HDLC), by Node's native zlib. */
export const crc32 = (data: Uint8Array, previous = 0): number => zlibCrc32(data, previous) >>> 0;

/**
 * The CRC-32 of A followed by B from A's and B's CRCs and B's length (zlib's crc32_combine: appending `lengthB` zero
 * bytes is a linear map over GF(2), applied by squaring a 32x32 bit matrix). Node's zlib does not expose it.
 * @example crc32Combine(crc32(a), crc32(b), b.length) === crc32(concat(a, b))
 */
export function crc32Combine(crcA: number, crcB: number, lengthB: number): number {
  if (lengthB <= 0) return crcA >>> 0;
  const times = (matrix: Uint32Array, vector: number): number => {
    let sum = 0;
    for (let i = 0, v = vector >>> 0; v !== 0; i += 1, v >>>= 1) if (v & 1) sum ^= matrix[i]!;
    return sum >>> 0;
  };
  const square = (into: Uint32Array, matrix: Uint32Array): void => {
    for (let n = 0; n < 32; n += 1) into[n] = times(matrix, matrix[n]!);
  };
  const odd = new Uint32Array(32);
  const even = new Uint32Array(32);
  odd[0] = 0xedb88320; // the CRC-32 polynomial: the operator for one zero bit
  for (let n = 1; n < 32; n += 1) odd[n] = 1 << (n - 1);
  square(even, odd); // two zero bits
  square(odd, even); // four zero bits
  let crc = crcA >>> 0;
  let left = lengthB;
  // Each round applies the operator for one bit of the length in bytes (the first: one byte, eight zero bits).
  for (;;) {
    square(even, odd);
    if (left % 2 === 1) crc = times(even, crc);
    left = Math.floor(left / 2);
    if (left === 0) break;
    square(odd, even);
    if (left % 2 === 1) crc = times(odd, crc);
    left = Math.floor(left / 2);
    if (left === 0) break;
  }
  return (crc ^ crcB) >>> 0;
}

/**
 * Data already deflated on its own: raw deflate at the writer's level ending with a full flush (byte-aligned, no
 * final block, no back-references into it from what follows), so that parts concatenate into one valid stream. An
 * entry made of parts is what a cache of register blocks (ADR 0009) hands the writer without compressing again.
 */
export interface DeflatedPart {
  deflated: Uint8Array;
  /** CRC-32 and length of the uncompressed data. */
  crc: number;
  size: number;
}

const PART_OPTIONS: ZlibOptions = { level: 1, finishFlush: zlibConstants.Z_FULL_FLUSH };
const deflateRawAsync = promisify(deflateRaw) as (data: Uint8Array, options: ZlibOptions) => Promise<Buffer>;

/**
 * A part of an entry, compressed on the calling thread.
 * @example writeZipStreamed([{ name: 'a.xml', data: { parts: [deflatePart(bytes)] } }])
 */
export function deflatePart(data: Uint8Array): DeflatedPart {
  return { deflated: deflateRawSync(data, PART_OPTIONS), crc: crc32(data), size: data.length };
}

/** `deflatePart` on zlib's thread pool (the caller may go on writing the next part meanwhile). */
export async function deflatePartAsync(data: Uint8Array): Promise<DeflatedPart> {
  const crc = crc32(data);
  return { deflated: await deflateRawAsync(data, PART_OPTIONS), crc, size: data.length };
}

/** The end of a stream of parts: an empty final block (fixed Huffman codes, end of block). */
const FINAL_EMPTY_BLOCK = new Uint8Array([0x03, 0x00]);

/** An entry given as parts already deflated (`DeflatedPart`), in order; the writer only ends the stream. */
export interface DeflatedParts {
  parts: AsyncIterable<DeflatedPart> | Iterable<DeflatedPart>;
}

async function joinParts(entryName: string, { parts }: DeflatedParts): Promise<Compressed> {
  const compressed: Uint8Array[] = [];
  let compressedSize = 0;
  let crc = 0;
  let size = 0;
  for await (const part of parts) {
    if (part.size === 0) continue;
    crc = crc32Combine(crc, part.crc, part.size);
    size += part.size;
    if (size > LIMIT) throw tooLarge(entryName);
    compressed.push(part.deflated);
    compressedSize += part.deflated.length;
  }
  compressed.push(FINAL_EMPTY_BLOCK);
  compressedSize += FINAL_EMPTY_BLOCK.length;
  return { entryName, crc, size, compressed, compressedSize };
}

/** DOS date of 1980-01-01 (the ZIP epoch), time 00:00:00. */
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const DOS_TIME = 0;
const LIMIT = 0xfffffffe;

/**
 * Produces an entry's data in chunks: `emit` takes a chunk and resolves once zlib has consumed it, so the producer
 * may then overwrite that chunk's memory (two buffers in turn keep the compressor busy while the next is written).
 */
export type ZipEntryProducer = (emit: (chunk: Uint8Array) => Promise<void>) => Promise<void>;

interface Compressed {
  entryName: string;
  crc: number;
  size: number;
  compressed: Uint8Array[];
  compressedSize: number;
}

const tooLarge = (entryName: string) =>
  new DomainError('TOO_LARGE', `Zip entry ${entryName} is too large for a ZIP without ZIP64 (4 GiB).`);

const enc = new TextEncoder();

function assemble(entries: readonly Compressed[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    if (e.size > LIMIT || e.compressedSize > LIMIT || offset > LIMIT) throw tooLarge(e.entryName);
    const name = enc.encode(e.entryName);
    const local = new Uint8Array(30 + name.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true); // version needed
    lv.setUint16(6, 0x0800, true); // UTF-8 names
    lv.setUint16(8, 8, true); // deflate
    lv.setUint16(10, DOS_TIME, true);
    lv.setUint16(12, DOS_DATE, true);
    lv.setUint32(14, e.crc, true);
    lv.setUint32(18, e.compressedSize, true);
    lv.setUint32(22, e.size, true);
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
    cv.setUint32(16, e.crc, true);
    cv.setUint32(20, e.compressedSize, true);
    cv.setUint32(24, e.size, true);
    cv.setUint16(28, name.length, true);
    cv.setUint32(42, offset, true);
    head.set(name, 46);
    chunks.push(local, ...e.compressed);
    central.push(head);
    offset += local.length + e.compressedSize;
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

/**
 * Zips the entries in the given order.
 * @example writeZip([{ name: 'a.txt', data: new TextEncoder().encode('hi') }]) // Uint8Array starting 'PK\x03\x04'
 */
export function writeZip(entries: readonly { name: string; data: Uint8Array }[]): Uint8Array {
  return assemble(
    entries.map((entry) => {
      if (entry.data.length > LIMIT) throw tooLarge(entry.name);
      const compressed = deflateRawSync(entry.data, { level: 1 });
      return {
        entryName: entry.name,
        crc: crc32(entry.data),
        size: entry.data.length,
        compressed: [compressed],
        compressedSize: compressed.length,
      };
    }),
  );
}

/** One entry through a streaming compressor (zlib's thread pool), while its producer writes the next chunk. */
async function compressStreamed(entryName: string, produce: ZipEntryProducer): Promise<Compressed> {
  const deflate = createDeflateRaw({ level: 1 });
  const compressed: Uint8Array[] = [];
  let compressedSize = 0;
  deflate.on('data', (c: Buffer) => {
    compressed.push(c);
    compressedSize += c.length;
  });
  const ended = once(deflate, 'end');
  let crc = 0;
  let size = 0;
  let previous: Promise<void> = Promise.resolve();
  await produce(async (chunk) => {
    crc = crc32(chunk, crc);
    size += chunk.length;
    if (size > LIMIT) throw tooLarge(entryName);
    const consumed = new Promise<void>((resolve, reject) =>
      deflate.write(chunk, (error) => (error ? reject(error) : resolve())),
    );
    // Resolve once the chunk before this one is consumed: the producer then reuses that one's memory.
    await previous;
    previous = consumed;
  });
  await previous;
  deflate.end();
  await ended;
  return { entryName, crc, size, compressed, compressedSize };
}

/**
 * Zips entries given whole, produced in chunks (see `ZipEntryProducer`) or as parts already deflated (`DeflatedParts`);
 * the same bytes as `writeZip` for the same contents given whole or in chunks. Compression runs on zlib's thread pool, beside the producer.
 * @example await writeZipStreamed([{ name: 'a.txt', data: async (emit) => emit(new TextEncoder().encode('hi')) }])
 */
export async function writeZipStreamed(
  entries: readonly { name: string; data: Uint8Array | ZipEntryProducer | DeflatedParts }[],
): Promise<Uint8Array> {
  const done: Compressed[] = [];
  for (const entry of entries) {
    const { data } = entry;
    done.push(
      data instanceof Uint8Array
        ? await compressStreamed(entry.name, async (emit) => emit(data))
        : typeof data === 'function'
          ? await compressStreamed(entry.name, data)
          : await joinParts(entry.name, data),
    );
  }
  return assemble(done);
}
