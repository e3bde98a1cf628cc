import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readWorkflowPolicy } from '../../../test/fixtures/workflow/policy-files.ts';
import { assessRetention, parseRecordKinds, retentionUntil } from './retention.ts';
import { fromEpochDay, toEpochDay } from './working-days.ts';

const r = readWorkflowPolicy('record-kinds.yaml');
const kinds = parseRecordKinds(r.text, r.sourceName);

describe('retentionUntil (Art 27(3), BRIEF H.3)', () => {
  it.each([
    ['2026-01-02', 5, '2031-12-31'],
    ['2026-12-31', 5, '2031-12-31'],
    ['2024-02-29', 5, '2029-12-31'],
    ['2026-06-15', 10, '2036-12-31'],
    ['2026-06-15', 0, '2026-12-31'],
  ])('%s + %i years -> %s', (d, y, expected) => expect(retentionUntil(d, y)).toBe(expected));

  it('defaults to five years and rejects bad input', () => {
    expect(retentionUntil('2026-03-03')).toBe('2031-12-31');
    expect(() => retentionUntil('2026-02-30')).toThrow(/eventDate/);
    expect(() => retentionUntil('2026-02-03', -1)).toThrow(/years/);
  });

  it('property: always 31 December, never earlier than event + years, at most one year later', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: toEpochDay('1990-01-01'), max: toEpochDay('2090-12-31') }).map(fromEpochDay),
        fc.integer({ min: 0, max: 30 }),
        (d, y) => {
          const until = retentionUntil(d, y);
          expect(until.slice(5)).toBe('12-31');
          expect(Number(until.slice(0, 4))).toBe(Number(d.slice(0, 4)) + y);
          expect(until >= `${String(Number(d.slice(0, 4)) + y).padStart(4, '0')}${d.slice(4)}`).toBe(true);
        },
      ),
    );
  });
});

describe('record kinds', () => {
  it('lists the Art 27 records with their sources and flags the unverified ones', () => {
    const ids = kinds.kinds.map((k) => k.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'export_record',
        'brokering_record',
        'technical_assistance_record',
        'due_diligence_record',
        'licensing_decision',
        'denial_record',
        'audit_event',
      ]),
    );
    expect(kinds.kinds.find((k) => k.id === 'brokering_record')?.source).toMatch(/27\(2\) \[unverified\]/);
  });

  it('says when a record may be deleted', () => {
    expect(assessRetention(kinds, 'export_record', '2026-05-04', '2031-12-31')).toMatchObject({
      keepUntil: '2031-12-31',
      deletable: false,
    });
    expect(assessRetention(kinds, 'export_record', '2026-05-04', '2032-01-01')).toMatchObject({
      deletable: true,
      verified: false,
    });
    expect(() => assessRetention(kinds, 'postcards', '2026-05-04', '2032-01-01')).toThrow(
      /Unknown record kind/,
    );
  });
});
