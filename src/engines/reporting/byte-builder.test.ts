import { describe, expect, it } from 'vitest';
import { ByteArena } from './byte-builder.ts';

const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('ByteArena / ByteBuilder', () => {
  it('encodes UTF-8 (multi-byte and astral characters) exactly', () => {
    const b = new ByteArena().builder();
    for (const s of ['a', 'é', '€', '😀', '', 'Łódź']) b.append(s);
    expect(text(b.toBytes())).toBe('aé€😀Łódź');
  });

  it('keeps earlier outputs intact when a later one outgrows the block (views into old blocks stay valid)', () => {
    const arena = new ByteArena(64);
    const first = arena.builder();
    first.append('first output');
    const a = first.toBytes();
    const second = arena.builder();
    const chunk = 'x'.repeat(1000) + 'ü';
    for (let i = 0; i < 40_000; i += 1) second.append(chunk); // ~40 MB: several growths past the 16 MiB minimum
    const b = second.toBytes();
    const third = arena.builder();
    third.append('third');
    const c = third.toBytes();
    expect(text(a)).toBe('first output');
    expect(b.length).toBe(40_000 * 1002);
    expect(text(b.subarray(0, 1002))).toBe(chunk);
    expect(text(b.subarray(b.length - 1002))).toBe(chunk);
    expect(text(c)).toBe('third');
  });

  it('reuses scratch space after reset, overwriting what was there', () => {
    const scratch = new ByteArena(1024);
    const one = scratch.builder();
    one.append('aaaa');
    const first = text(one.toBytes());
    scratch.reset();
    const two = scratch.builder();
    two.append('bb');
    const view = two.toBytes();
    expect(first).toBe('aaaa');
    expect(text(view)).toBe('bb');
    expect(view.byteOffset).toBe(0);
  });
});
