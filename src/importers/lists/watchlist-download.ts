/** Downloads official list files (custos lists update): content type and size checked, files written atomically. */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { DomainError, invalid } from '../../domain/errors.ts';
import type { WatchlistSourceKind } from '../../domain/watchlist.ts';
import type { DownloadedWatchlistFile, WatchlistDownloadSource } from '../../domain/watchlist-import.ts';
import { isWatchlistSourceKind } from './import-watchlist.ts';

/** Content types accepted per kind (publishers are loose: CSV often comes as text/plain or octet-stream). */
const CONTENT_TYPES: Record<WatchlistSourceKind, string[]> = {
  'ofac-sdn': [
    'text/csv',
    'text/plain',
    'application/csv',
    'application/octet-stream',
    'application/vnd.ms-excel',
  ],
  'ofac-nonsdn': [
    'text/csv',
    'text/plain',
    'application/csv',
    'application/octet-stream',
    'application/vnd.ms-excel',
  ],
  'bis-dpl': ['text/plain', 'text/tab-separated-values', 'text/csv', 'application/octet-stream'],
  'us-csl': ['text/csv', 'text/plain', 'application/csv', 'application/octet-stream'],
  'un-sc': ['application/xml', 'text/xml'],
  'eu-fsf': ['application/xml', 'text/xml'],
  'uk-fcdo': ['application/xml', 'text/xml'],
  'ftm-jsonl': [
    'application/json',
    'application/x-ndjson',
    'application/jsonl',
    'text/plain',
    'application/octet-stream',
  ],
  'custos-csv': ['text/csv', 'text/plain', 'application/csv', 'application/octet-stream'],
};

/** Default URLs of the official lists (configurable: the caller passes its own sources). */
export const DEFAULT_WATCHLIST_SOURCES: WatchlistDownloadSource[] = [
  {
    kind: 'ofac-sdn',
    urls: [
      'https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/SDN.CSV',
      'https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ADD.CSV',
      'https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ALT.CSV',
      'https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/SDN_COMMENTS.CSV',
    ],
  },
  { kind: 'un-sc', urls: ['https://scsanctions.un.org/resources/xml/en/consolidated.xml'] },
  {
    kind: 'us-csl',
    urls: ['https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv'],
  },
  { kind: 'uk-fcdo', urls: ['https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.xml'] },
];

export interface DownloadOptions {
  /** Largest accepted file; default 200 MB (the EU list is ~20 MB, OpenSanctions' default collection larger). */
  maxBytes?: number;
  /** Per-request timeout; default 120 s. */
  timeoutMs?: number;
}

type FetchImpl = (url: string, init?: { signal?: AbortSignal }) => Promise<Response>;

const unavailable = (message: string): DomainError => new DomainError('UNAVAILABLE', message);

/** A safe local file name for `url`: its last path segment, lower-cased OFAC names kept, else "<kind>-<n>". */
function fileNameFor(url: string, kind: WatchlistSourceKind, index: number): string {
  const last = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
  const safe = last.replace(/[^A-Za-z0-9._-]/g, '_');
  return safe === '' || safe.startsWith('.') ? `${kind}-${index + 1}` : safe.toLowerCase();
}

/**
 * Downloads every URL of every source into `destDir`/<kind>/<file name>. Each response must be 200 with an
 * accepted content type and at most `maxBytes` (checked on Content-Length and while streaming). All bodies are
 * first written to temporary files; only when every download succeeded are they renamed into place, so a failed
 * update leaves the previous files untouched. Throws DomainError UNAVAILABLE (network, status) or INVALID
 * (content type, size), naming the URL.
 */
export async function downloadWatchlists(
  sources: WatchlistDownloadSource[],
  destDir: string,
  fetchImpl: FetchImpl = fetch,
  options: DownloadOptions = {},
): Promise<DownloadedWatchlistFile[]> {
  const maxBytes = options.maxBytes ?? 200 * 1024 * 1024;
  const timeoutMs = options.timeoutMs ?? 120_000;
  const staged: { tmp: string; final: string; result: DownloadedWatchlistFile }[] = [];
  const suffix = `.part-${randomBytes(4).toString('hex')}`;
  try {
    for (const source of sources) {
      if (!isWatchlistSourceKind(source.kind)) throw invalid(`Unknown list source kind "${source.kind}".`);
      if (source.urls.length === 0) throw invalid(`No URL for ${source.kind}.`);
      const dir = path.join(destDir, source.kind);
      await fs.mkdir(dir, { recursive: true });
      for (const [i, url] of source.urls.entries()) {
        if (!/^https?:\/\//.test(url)) throw invalid(`${url}: only http(s) URLs are downloaded.`);
        let res: Response;
        try {
          res = await fetchImpl(url, { signal: AbortSignal.timeout(timeoutMs) });
        } catch (cause) {
          throw unavailable(`${url}: download failed (${(cause as Error).message}).`);
        }
        if (res.status !== 200) throw unavailable(`${url}: HTTP ${res.status}.`);
        const contentType = res.headers.get('content-type');
        const mime = contentType?.split(';')[0]!.trim().toLowerCase() ?? '';
        if (!CONTENT_TYPES[source.kind].includes(mime)) {
          throw invalid(
            `${url}: content type "${contentType ?? 'none'}" is not one of ${CONTENT_TYPES[source.kind].join(', ')} for ${source.kind}.`,
            [{ path: url, message: 'unexpected content type' }],
          );
        }
        const declared = Number(res.headers.get('content-length') ?? NaN);
        if (Number.isFinite(declared) && declared > maxBytes) {
          throw invalid(`${url}: ${declared} bytes exceeds the limit of ${maxBytes}.`, [
            { path: url, message: 'too large' },
          ]);
        }
        const final = path.join(dir, fileNameFor(url, source.kind, i));
        const tmp = final + suffix;
        const handle = await fs.open(tmp, 'w');
        staged.push({
          tmp,
          final,
          result: { kind: source.kind, url, path: final, bytes: 0, sha256: '', contentType },
        });
        const hash = createHash('sha256');
        let bytes = 0;
        try {
          if (!res.body) throw unavailable(`${url}: empty response body.`);
          const reader = (res.body as ReadableStream<Uint8Array>).getReader();
          for (;;) {
            let step: Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']>>;
            try {
              step = await reader.read();
            } catch (cause) {
              throw unavailable(
                `${url}: download interrupted after ${bytes} bytes (${(cause as Error).message}).`,
              );
            }
            if (step.done) break;
            const chunk = step.value;
            bytes += chunk.byteLength;
            if (bytes > maxBytes) {
              await reader.cancel().catch(() => undefined);
              throw invalid(`${url}: more than ${maxBytes} bytes; the download is refused.`, [
                { path: url, message: 'too large' },
              ]);
            }
            hash.update(chunk);
            await handle.write(chunk);
          }
          await handle.sync();
        } finally {
          await handle.close();
        }
        if (bytes === 0) throw invalid(`${url}: empty file.`, [{ path: url, message: 'empty' }]);
        if (Number.isFinite(declared) && declared !== bytes) {
          throw unavailable(`${url}: received ${bytes} bytes of the ${declared} announced (truncated).`);
        }
        const entry = staged.at(-1)!;
        entry.result.bytes = bytes;
        entry.result.sha256 = hash.digest('hex');
      }
    }
    for (const s of staged) await fs.rename(s.tmp, s.final);
    return staged.map((s) => s.result);
  } catch (e) {
    await Promise.all(staged.map((s) => fs.rm(s.tmp, { force: true })));
    throw e;
  }
}
