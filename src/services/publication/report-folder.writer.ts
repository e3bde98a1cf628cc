/**
 * Writes a report's files into a folder as they are rendered (a `ReportFileTarget`): each file goes into a hidden
 * staging folder inside the target folder, through one reused buffer, and only once every file is whole are they all
 * moved into place. The kept register text of the cache (ADR 0009) is copied from the cache's files through that buffer
 * instead of being gathered in memory first: on a year of a million applications that is about 400 MB of fresh memory
 * not touched (bench/results/report-build.json). A build that fails leaves nothing behind.
 */
import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FileFacts, OutputWriter, ReportFileTarget, TextChunk } from '../../engines/reporting/index.ts';

/** The buffer every file passes through. */
const BUFFER_BYTES = 8 << 20;
/** Bytes held back at each write to the file, so that the last few appended can still be taken back (`dropLast`). */
const HELD_BACK = 64;

/** One file being written: appended bytes collect in the buffer and go to the file when it is full. */
class FileOutput implements OutputWriter {
  private at = 0;
  private written = 0;
  private readonly hash: Hash | null;

  constructor(
    private readonly fd: number,
    private readonly buffer: Buffer,
    digest: boolean,
  ) {
    this.hash = digest ? createHash('sha256') : null;
  }

  append(text: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    if (text.length * 3 > this.buffer.length - this.at) {
      this.flush();
      if (text.length * 3 > this.buffer.length - this.at) return this.appendBytes(Buffer.from(text, 'utf8'));
    }
    this.at += this.buffer.write(text, this.at, 'utf8');
  }

  appendChunk(chunk: TextChunk): void {
    if (typeof chunk === 'string') return this.append(chunk);
    if (chunk instanceof Uint8Array) return this.appendBytes(chunk);
    for (let from = 0; from < chunk.length;) {
      if (this.at === this.buffer.length) this.flush();
      const n = Math.min(this.buffer.length - this.at, chunk.length - from);
      chunk.readAt(this.buffer, this.at, from, n);
      this.at += n;
      from += n;
    }
  }

  dropLast(bytes: number): void {
    if (bytes <= this.at) this.at -= bytes;
    else if (this.written === 0) this.at = 0;
    else throw new Error(`report files: cannot take back ${bytes} bytes already written`);
  }

  /** Writes what is left and says the file's size and SHA-256 (when asked for), or null. */
  close(): FileFacts | null {
    this.write(this.at);
    this.at = 0;
    return this.hash ? { bytes: this.written, sha256: this.hash.digest('hex') } : null;
  }

  private appendBytes(bytes: Uint8Array): void {
    for (let from = 0; from < bytes.length;) {
      if (this.at === this.buffer.length) this.flush();
      const n = Math.min(this.buffer.length - this.at, bytes.length - from);
      this.buffer.set(bytes.subarray(from, from + n), this.at);
      this.at += n;
      from += n;
    }
  }

  /** Writes the buffer to the file but for its last bytes, which move to its start. */
  private flush(): void {
    const out = this.at - HELD_BACK;
    if (out <= 0) return;
    this.write(out);
    this.buffer.copy(this.buffer, 0, out, this.at);
    this.at -= out;
  }

  /** Writes the buffer's first `bytes` bytes to the file. */
  private write(bytes: number): void {
    this.hash?.update(this.buffer.subarray(0, bytes));
    for (let done = 0; done < bytes;) done += fs.writeSync(this.fd, this.buffer, done, bytes - done);
    this.written += bytes;
  }
}

/**
 * The files of one report written into `dir`: call `commit` once rendering is done (the files move into place,
 * replacing those of the same names), or `abort` when it failed (nothing is left).
 * @example const writer = new ReportFolderWriter(out); await renderReportFilesTo(shell, source, options, writer); writer.commit();
 */
export class ReportFolderWriter implements ReportFileTarget {
  private readonly staging: string;
  private readonly buffer: Buffer;
  private readonly names: string[] = [];

  /** `bufferBytes`: the buffer's size (tests make it small, so that every file crosses it many times). */
  constructor(
    readonly dir: string,
    options: { bufferBytes?: number } = {},
  ) {
    const bufferBytes = options.bufferBytes ?? BUFFER_BYTES;
    if (!(bufferBytes >= 2 * HELD_BACK))
      throw new RangeError(`report files: a buffer of ${bufferBytes} bytes`);
    this.buffer = Buffer.allocUnsafeSlow(bufferBytes);
    fs.mkdirSync(dir, { recursive: true });
    this.staging = fs.mkdtempSync(path.join(dir, '.custos-report-'));
  }

  private fileOf(name: string): string {
    if (name !== path.basename(name) || name.startsWith('.') || this.names.includes(name))
      throw new Error(`report files: bad or repeated file name ${name}`);
    this.names.push(name);
    return path.join(this.staging, name);
  }

  stream(name: string, write: (out: OutputWriter) => void, digest: boolean): FileFacts | null {
    const fd = fs.openSync(this.fileOf(name), 'w');
    try {
      const out = new FileOutput(fd, this.buffer, digest);
      write(out);
      return out.close();
    } finally {
      fs.closeSync(fd);
    }
  }

  put(name: string, content: Uint8Array): void {
    fs.writeFileSync(this.fileOf(name), content);
  }

  /** Moves every file into the folder and removes the staging folder; the files' names, sorted. */
  commit(): string[] {
    for (const name of this.names) fs.renameSync(path.join(this.staging, name), path.join(this.dir, name));
    fs.rmSync(this.staging, { recursive: true, force: true });
    return [...this.names].sort();
  }

  /** Removes every file written. */
  abort(): void {
    fs.rmSync(this.staging, { recursive: true, force: true });
  }
}
