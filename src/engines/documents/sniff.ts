/** Decide a document's media type from its bytes, never from the name or the client's claim. */

export interface SniffResult {
  mediaType: string;
  /** A short reason, e.g. "PDF header %PDF-". */
  evidence: string;
}

/** Media types Custos accepts as attachments. */
export const ACCEPTED_MEDIA_TYPES = [
  'application/pdf',
  'image/png',
  'image/jpeg',
  'application/zip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.oasis.opendocument.text',
  'text/plain',
] as const;

const startsWith = (bytes: Uint8Array, sig: number[], offset = 0): boolean =>
  bytes.length >= offset + sig.length && sig.every((b, i) => bytes[offset + i] === b);

function isUtf8Text(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return false;
  const sample = bytes.subarray(0, 64 * 1024);
  for (const b of sample) if (b < 9 || (b > 13 && b < 32 && b !== 27)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(
      sample.length < bytes.length ? trimPartialUtf8(sample) : sample,
    );
    return true;
  } catch {
    return false;
  }
}

/** Drop a UTF-8 sequence cut off at the end of a sample. */
function trimPartialUtf8(sample: Uint8Array): Uint8Array {
  const end = sample.length;
  for (let i = 1; i <= 3 && end - i >= 0; i++) {
    const b = sample[end - i]!;
    if ((b & 0xc0) === 0xc0) return sample.subarray(0, end - i);
    if ((b & 0x80) === 0) break;
  }
  return sample;
}

/** Names of the first entries of a ZIP archive (local file headers), enough to tell OOXML and ODF apart. */
function zipEntryNames(bytes: Uint8Array, max = 20): string[] {
  const names: string[] = [];
  let p = 0;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  while (names.length < max && p + 30 <= bytes.length && startsWith(bytes, [0x50, 0x4b, 0x03, 0x04], p)) {
    const compressed = view.getUint32(p + 18, true);
    const nameLen = view.getUint16(p + 26, true);
    const extraLen = view.getUint16(p + 28, true);
    const nameBytes = bytes.subarray(p + 30, p + 30 + nameLen);
    names.push(new TextDecoder().decode(nameBytes));
    const mimetype = new TextDecoder().decode(
      bytes.subarray(p + 30 + nameLen + extraLen, p + 30 + nameLen + extraLen + Math.min(compressed, 100)),
    );
    if (names[names.length - 1] === 'mimetype') names.push(`mimetype:${mimetype}`);
    if (compressed === 0 || compressed === 0xffffffff) break; // streamed entry: sizes are in a data descriptor
    p += 30 + nameLen + extraLen + compressed;
  }
  return names;
}

/**
 * Sniff the media type of an upload, or return null when it is not an accepted type.
 * @example sniffMediaType(new TextEncoder().encode('%PDF-1.7 ...'))?.mediaType === 'application/pdf'
 */
export function sniffMediaType(bytes: Uint8Array): SniffResult | null {
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d]))
    return { mediaType: 'application/pdf', evidence: 'PDF header %PDF-' };
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    return { mediaType: 'image/png', evidence: 'PNG signature' };
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { mediaType: 'image/jpeg', evidence: 'JPEG SOI marker' };
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) {
    const names = zipEntryNames(bytes);
    if (names.some((n) => n.startsWith('word/')))
      return { mediaType: ACCEPTED_MEDIA_TYPES[4], evidence: 'ZIP with word/ part' };
    if (names.some((n) => n.startsWith('xl/')))
      return { mediaType: ACCEPTED_MEDIA_TYPES[5], evidence: 'ZIP with xl/ part' };
    if (names.includes('mimetype:application/vnd.oasis.opendocument.text'))
      return { mediaType: 'application/vnd.oasis.opendocument.text', evidence: 'ODF mimetype entry' };
    return { mediaType: 'application/zip', evidence: 'ZIP local file header' };
  }
  if (isUtf8Text(bytes))
    return { mediaType: 'text/plain', evidence: 'valid UTF-8 text without control bytes' };
  return null;
}
