/**
 * Large UTF-8 outputs built from many small strings, without one giant string (V8 caps strings at ~512 MB) and
 * without many buffers: V8 runs a full garbage collection each time memory outside its heap grows by some tens of
 * megabytes, and with a million-row register on the heap each one costs most of a second. So outputs are written
 * into the blocks of a `ByteArena`, a few large allocations for a whole report, and handed out as views.
 */
const MIN_BLOCK = 16 << 20;

/**
 * Bytes of a known length that write themselves into place, whole or in pieces (a cached file's part): the output is
 * then their only copy in memory, or, written to a file, they pass through a small buffer.
 */
export interface SizedChunk {
  readonly length: number;
  /** Copies `bytes` bytes of the chunk, from its byte `from`, into `target` at `offset`. */
  readAt(target: Uint8Array, offset: number, from: number, bytes: number): void;
}

/** A piece of an output: text (written as UTF-8), bytes, or a `SizedChunk`. */
export type TextChunk = string | Uint8Array | SizedChunk;

/** Where an output is written, in order: into memory (`ByteBuilder`) or into a file as it goes. */
export interface OutputWriter {
  append(text: string): void;
  /** Appends text, bytes, or bytes of a known length that write themselves. */
  appendChunk(chunk: TextChunk): void;
  /** Takes back the last `bytes` bytes appended (a few: a writer to a file keeps only its last bytes back). */
  dropLast(bytes: number): void;
}

export class ByteArena {
  /** @internal the current block and the first free byte in it */
  block: Buffer;
  used = 0;

  constructor(initialBytes = MIN_BLOCK) {
    this.block = Buffer.allocUnsafeSlow(initialBytes);
  }

  /** A builder whose output starts at the arena's first free byte. Finish one builder before starting the next. */
  builder(): ByteBuilder {
    return new ByteBuilder(this);
  }

  /** Forget every output (their views then read overwritten bytes): for scratch space reused between outputs. */
  reset(): void {
    this.used = 0;
  }

  /** A block with room for `need` more bytes after `keep` bytes copied from [from, from + keep) of the current one. */
  grow(from: number, keep: number, need: number): void {
    const size = Math.max(MIN_BLOCK, 2 * this.block.length, 2 * (keep + need));
    const next = Buffer.allocUnsafeSlow(size);
    this.block.copy(next, 0, from, from + keep);
    this.block = next;
    this.used = 0;
  }
}

export class ByteBuilder implements OutputWriter {
  private start: number;
  private at: number;

  constructor(private readonly arena: ByteArena) {
    this.start = arena.used;
    this.at = arena.used;
  }

  append(text: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    this.reserve(text.length * 3);
    this.at += this.arena.block.write(text, this.at, 'utf8');
  }

  /** Makes room for `need` more bytes. */
  private reserve(need: number): void {
    if (this.at + need > this.arena.block.length) {
      this.arena.grow(this.start, this.at - this.start, need);
      this.at -= this.start;
      this.start = 0;
    }
  }

  /** Appends text, bytes, or bytes of a known length that write themselves (e.g. read from a file into place). */
  appendChunk(chunk: TextChunk): void {
    if (typeof chunk === 'string') return this.append(chunk);
    this.reserve(chunk.length);
    if (chunk instanceof Uint8Array) this.arena.block.set(chunk, this.at);
    else chunk.readAt(this.arena.block, this.at, 0, chunk.length);
    this.at += chunk.length;
  }

  /** Takes back the last `bytes` bytes appended. */
  dropLast(bytes: number): void {
    this.at = Math.max(this.start, this.at - bytes);
  }

  /** The bytes appended, as a view into the arena; the arena's next output starts after them. */
  toBytes(): Uint8Array {
    this.arena.used = this.at;
    return this.arena.block.subarray(this.start, this.at);
  }
}
