/**
 * Builds large UTF-8 outputs from many small strings without ever holding one giant string (V8 caps strings at
 * ~512 MB): each string is encoded straight into fixed 8 MiB blocks, so no intermediate joined string is made.
 */
const BLOCK = 8 << 20;

export class ByteBuilder {
  private readonly blocks: Buffer[] = [];
  private block: Buffer = Buffer.allocUnsafe(BLOCK);
  private at = 0;
  private total = 0;

  append(text: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    if (this.at + text.length * 3 > this.block.length) {
      this.seal();
      if (text.length * 3 > BLOCK) {
        const big = Buffer.from(text, 'utf8');
        this.blocks.push(big);
        this.total += big.length;
        return;
      }
    }
    const n = this.block.write(text, this.at, 'utf8');
    this.at += n;
    this.total += n;
  }

  private seal(): void {
    if (this.at === 0) return;
    this.blocks.push(this.block.subarray(0, this.at));
    this.block = Buffer.allocUnsafe(BLOCK);
    this.at = 0;
  }

  /** All bytes appended so far, as one Uint8Array. */
  toBytes(): Uint8Array {
    this.seal();
    return this.blocks.length === 1 ? this.blocks[0]! : Buffer.concat(this.blocks, this.total);
  }
}
