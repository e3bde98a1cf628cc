/** Builds large UTF-8 outputs from many small strings without ever holding one giant string (V8 caps strings at ~512 MB). */
export class ByteBuilder {
  private readonly chunks: Buffer[] = [];
  private pending: string[] = [];
  private pendingLength = 0;

  append(text: string): void {
    this.pending.push(text);
    this.pendingLength += text.length;
    if (this.pendingLength > 1 << 20) this.flush();
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.chunks.push(Buffer.from(this.pending.join(''), 'utf8'));
    this.pending = [];
    this.pendingLength = 0;
  }

  /** All bytes appended so far, as one Uint8Array. */
  toBytes(): Uint8Array {
    this.flush();
    return Buffer.concat(this.chunks);
  }
}
