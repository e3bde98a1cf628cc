/** Streaming CSV/TSV reader (csv-parse) over strict UTF-8 input: yields records with their line numbers. */
import { once } from 'node:events';
import { parse, type CsvError } from 'csv-parse';
import { invalid } from '../../domain/errors.ts';
import type { WatchlistFileDigest } from '../../domain/watchlist-import.ts';
import { openUtf8Input } from './utf8-input.ts';

export interface CsvRecord {
  fields: string[];
  /** Line on which the record ends (1-based), as csv-parse counts it. */
  line: number;
}

export interface CsvStreamOptions {
  delimiter?: string;
  /** OFAC's legacy files end with a Ctrl-Z (0x1A) end-of-file marker: drop it when it is the file's last character. */
  dropTrailingCtrlZ?: boolean;
}

/** A record is the file's line `line`; used to name the place of a problem. */
export const where = (file: string, line: number): string => `${file}:${line}`;

/**
 * Yields every non-empty record of `filePath`. Malformed quoting, a quote left open at the end (truncation) or
 * invalid UTF-8 is refused with DomainError INVALID naming the file and line.
 */
export async function* streamCsvRecords(
  filePath: string,
  options: CsvStreamOptions = {},
): AsyncGenerator<CsvRecord, WatchlistFileDigest> {
  const input = openUtf8Input(filePath);
  const file = input.file;
  const parser = parse({
    delimiter: options.delimiter ?? ',',
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    info: true,
  });
  let feedError: unknown;
  const stop = new AbortController();
  const feeding = (async () => {
    try {
      let pending: string | undefined;
      for await (const chunk of input.chunks) {
        if (stop.signal.aborted) break;
        if (pending !== undefined && !parser.write(pending))
          await once(parser, 'drain', { signal: stop.signal });
        pending = chunk;
      }
      if (pending !== undefined) {
        if (options.dropTrailingCtrlZ) pending = pending.replace(/\x1a\s*$/, '');
        parser.write(pending);
      }
      parser.end();
    } catch (e) {
      feedError = e;
      parser.destroy(e as Error);
    }
  })();
  try {
    for await (const rec of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      yield { fields: rec.record, line: rec.info.lines };
    }
  } catch (e) {
    if (feedError) throw feedError;
    const err = e as CsvError & { lines?: number };
    const line = err.lines ?? 0;
    throw invalid(`${file}: malformed CSV at line ${line}: ${err.message}`, [
      { path: where(file, line), message: err.code ?? 'malformed CSV' },
    ]);
  } finally {
    // when the reader stops early (a refused record), stop feeding so that the file is closed
    if (!parser.writableFinished) {
      stop.abort();
      parser.destroy();
    }
  }
  await feeding;
  if (feedError) throw feedError;
  return input.digest();
}

/** The OFAC legacy null marker "-0-" (often followed by a space) and blank fields become undefined. */
export function ofacValue(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const v = value.replace(/\s+/g, ' ').trim();
  return v === '' || v === '-0-' ? undefined : v;
}
