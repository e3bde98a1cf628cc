import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDomainError, type DomainError } from '../../domain/errors.ts';
import { makeDenial } from '../../../test/fixtures/workflow/denials.ts';
import { readWorkflowPolicy } from '../../../test/fixtures/workflow/policy-files.ts';
import {
  buildDenialExchangeJsonSchema,
  canonicaliseJson,
  exportDenials,
  parseDenialExchange,
} from './denial-exchange.ts';

const meta = { exportedAt: '2026-11-30T10:00:00Z', exportingAuthority: { memberState: 'FR', name: 'SBDU' } };
const denials = [
  makeDenial(),
  makeDenial({
    id: 'den-fr-002',
    reference: 'FR-SBDU-2025-0050',
    status: 'revoked',
    revokedOn: '2026-02-01',
  }),
];

const refused = (text: string): DomainError => {
  try {
    parseDenialExchange(text);
  } catch (e) {
    if (isDomainError(e)) return e;
    throw e;
  }
  throw new Error('the file was accepted');
};

describe('denial exchange', () => {
  it('round-trips: export then parse gives the same denials', () => {
    const text = exportDenials(denials, meta);
    const doc = parseDenialExchange(text);
    expect(doc.denials).toEqual([...denials].sort((a, b) => a.id.localeCompare(b.id)));
    expect(doc.checksum.value).toMatch(/^[0-9a-f]{64}$/);
  });

  it('accepts the file after re-formatting (the checksum is over canonical JSON)', () => {
    const text = exportDenials(denials, meta);
    expect(parseDenialExchange(JSON.stringify(JSON.parse(text))).denials).toHaveLength(2);
  });

  it('refuses a tampered file whole, naming the checksum', () => {
    const doc = JSON.parse(exportDenials(denials, meta));
    doc.denials[0].status = 'revoked';
    doc.denials[0].revokedOn = '2026-01-01';
    const e = refused(JSON.stringify(doc));
    expect(e.code).toBe('INVALID');
    expect(e.issues[0]?.path).toBe('checksum.value');
  });

  it.each([
    ['not JSON', () => '{"format":', ''],
    ['a wrong format name', (d: Record<string, unknown>) => ({ ...d, format: 'other' }), 'format'],
    [
      'a bad country code',
      (d: { denials: Record<string, unknown>[] }) => ({
        ...d,
        denials: [{ ...d.denials[0], notifyingMemberState: 'XX' }, d.denials[1]],
      }),
      'denials.0.notifyingMemberState',
    ],
    [
      'an unknown field',
      (d: { denials: Record<string, unknown>[] }) => ({
        ...d,
        denials: [{ ...d.denials[0], secret: 1 }, d.denials[1]],
      }),
      'denials.0',
    ],
    [
      'a revoked denial without date',
      (d: { denials: Record<string, unknown>[] }) => ({
        ...d,
        denials: [d.denials[0], { ...d.denials[1], revokedOn: null }],
      }),
      'denials.1.revokedOn',
    ],
    [
      'duplicate ids',
      (d: { denials: Record<string, unknown>[] }) => ({
        ...d,
        denials: [d.denials[0], { ...d.denials[1], id: 'den-fr-001' }],
      }),
      'denials.1.id',
    ],
  ])('refuses %s whole', (_label, mutate, path) => {
    const original = JSON.parse(exportDenials(denials, meta));
    const mutated = (mutate as (d: unknown) => unknown)(original);
    const text = typeof mutated === 'string' ? mutated : JSON.stringify(mutated);
    const e = refused(text);
    expect(e.code).toBe('INVALID');
    if (path) expect(e.issues.map((i) => i.path)).toContain(path);
  });

  it('refuses to export invalid records', () => {
    expect(() => exportDenials([makeDenial({ deniedOn: '2025-13-01' })], meta)).toThrow(/deniedOn/);
  });

  it('the committed JSON Schema matches the zod schema', () => {
    const { text } = readWorkflowPolicy('denial-exchange.schema.json');
    expect(JSON.parse(text)).toEqual(buildDenialExchangeJsonSchema());
  });

  it('property: canonical JSON is independent of key order and re-parses to the same value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const c = canonicaliseJson(v);
        expect(canonicaliseJson(JSON.parse(c))).toBe(c);
        expect(JSON.parse(c)).toEqual(JSON.parse(JSON.stringify(v)));
      }),
    );
  });
});
