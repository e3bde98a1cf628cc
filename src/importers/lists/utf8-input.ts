/** Streaming reader of a list file: strict UTF-8 decoding, SHA-256 of the raw bytes, and line numbers in errors. */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { invalid } from '../../domain/errors.ts';
import type { WatchlistFileDigest } from '../../domain/watchlist-import.ts';

export interface Utf8Input {
  file: string;
  /** The decoded text, chunk by chunk (a leading UTF-8 BOM removed). */
  chunks: AsyncGenerator<string>;
  /** Digest of the bytes read; complete once `chunks` is exhausted. */
  digest(): WatchlistFileDigest;
}

/** Index of the first byte that starts an invalid UTF-8 sequence, or -1 when `bytes` is valid up to its end. */
export function findInvalidUtf8(bytes: Uint8Array, allowTruncatedEnd = false): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let need: number;
    let min: number;
    if (b < 0x80) {
      i += 1;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    if (i + need >= bytes.length) {
      // too few bytes left: invalid unless those present continue the sequence (then it is only cut short)
      for (let k = i + 1; k < bytes.length; k++) if ((bytes[k]! & 0xc0) !== 0x80) return i;
      return allowTruncatedEnd ? -1 : i;
    }
    let cp = b & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k]!;
      if ((c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

function countNewlines(bytes: Uint8Array, end: number): number {
  let n = 0;
  for (let i = 0; i < end; i++) if (bytes[i] === 0x0a) n++;
  return n;
}

/**
 * Opens `filePath` for streaming. Invalid UTF-8 (e.g. a latin-1 file) or a UTF-16 byte-order mark is refused with
 * DomainError INVALID naming the file, the line and the byte offset.
 */
export function openUtf8Input(filePath: string, chunkBytes = 256 * 1024): Utf8Input {
  const file = path.basename(filePath);
  const hash = createHash('sha256');
  let bytes = 0;
  let done = false;
  let sha256 = '';

  async function* read(): AsyncGenerator<string> {
    const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
    let lines = 0;
    let first = true;
    let carry: Uint8Array = new Uint8Array(0);
    let stream: fs.ReadStream;
    try {
      stream = fs.createReadStream(filePath, { highWaterMark: chunkBytes });
    } catch (cause) {
      throw invalid(`${file}: cannot be read (${String(cause)}).`, [{ path: file, message: 'unreadable' }]);
    }
    try {
      for await (const buf of stream as AsyncIterable<Buffer>) {
        const chunk = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
        hash.update(chunk);
        if (first) {
          first = false;
          if ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff)) {
            throw invalid(`${file}: UTF-16 byte-order mark at line 1; the file must be UTF-8.`, [
              { path: `${file}:1`, message: 'UTF-16 encoded, UTF-8 expected' },
            ]);
          }
        }
        let text: string;
        try {
          text = decoder.decode(chunk, { stream: true });
        } catch {
          const joined = new Uint8Array(carry.length + chunk.length);
          joined.set(carry);
          joined.set(chunk, carry.length);
          // bytes of the carry that continue a character completed in the previous chunk were already valid
          let start = 0;
          while (start < carry.length && (carry[start]! & 0xc0) === 0x80) start++;
          const found = findInvalidUtf8(joined.subarray(start), true);
          const at = found < 0 ? joined.length - 1 : start + found;
          const line = lines + countNewlines(joined, at) + 1;
          const offset = bytes - carry.length + at;
          throw invalid(
            `${file}: invalid UTF-8 at line ${line} (byte ${offset}); the file must be UTF-8 (latin-1 or another encoding is refused).`,
            [{ path: `${file}:${line}`, message: 'invalid UTF-8' }],
          );
        }
        // keep the last 3 bytes so that an error straddling two chunks is still located
        const keep = Math.min(3, chunk.length);
        lines += countNewlines(carry, carry.length) + countNewlines(chunk, chunk.length - keep);
        carry = chunk.slice(chunk.length - keep);
        bytes += chunk.length;
        if (text.length > 0) yield text;
      }
      let tail: string;
      try {
        tail = decoder.decode();
      } catch {
        const line = lines + countNewlines(carry, carry.length) + 1;
        throw invalid(`${file}: truncated UTF-8 sequence at the end (line ${line}).`, [
          { path: `${file}:${line}`, message: 'invalid UTF-8' },
        ]);
      }
      if (tail.length > 0) yield tail;
      sha256 = hash.digest('hex');
      done = true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException)?.code === 'ENOENT') {
        throw invalid(`${file}: file not found (${filePath}).`, [{ path: file, message: 'not found' }]);
      }
      throw e;
    }
  }

  return {
    file,
    chunks: read(),
    digest(): WatchlistFileDigest {
      if (!done) throw new Error(`digest of ${file} requested before the file was read to its end`);
      return { file, sha256, bytes };
    },
  };
}

/** Reads a whole small file as strict UTF-8 (same checks as openUtf8Input). */
export async function readUtf8File(filePath: string): Promise<{ text: string; digest: WatchlistFileDigest }> {
  const input = openUtf8Input(filePath);
  let text = '';
  for await (const c of input.chunks) text += c;
  return { text, digest: input.digest() };
}
