/** Streams the lines of a strict UTF-8 file with their numbers (for JSON lines). */
import type { WatchlistFileDigest } from '../../domain/watchlist-import.ts';
import { openUtf8Input } from './utf8-input.ts';

export interface TextLine {
  text: string;
  /** 1-based line number. */
  line: number;
  /** False for a last line without a final newline. */
  terminated: boolean;
}

/** Yields every line of `filePath` (CRLF or LF); the return value is the file's digest. */
export async function* streamTextLines(filePath: string): AsyncGenerator<TextLine, WatchlistFileDigest> {
  const input = openUtf8Input(filePath);
  let rest = '';
  let line = 0;
  for await (const chunk of input.chunks) {
    rest += chunk;
    let nl = rest.indexOf('\n');
    while (nl >= 0) {
      line++;
      yield { text: rest.slice(0, nl).replace(/\r$/, ''), line, terminated: true };
      rest = rest.slice(nl + 1);
      nl = rest.indexOf('\n');
    }
  }
  if (rest !== '') yield { text: rest, line: line + 1, terminated: false };
  return input.digest();
}
