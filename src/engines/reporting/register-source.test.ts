import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../domain/errors.ts';
import { generateRecords } from '../../../test/fixtures/reporting/records.ts';
import { parseRegisterSourceRecords } from './register-source.ts';

describe('parseRegisterSourceRecords', () => {
  const records = generateRecords({ count: 50, seed: 4 });

  it('accepts well-formed records unchanged', () => {
    expect(parseRegisterSourceRecords(records)).toEqual(records);
  });

  it.each([
    ['destinationCountry', { destinationCountry: 'XX' }, 'ISO 3166-1'],
    [
      'decidedOn',
      { decision: 'pending', decidedOn: '2025-05-01' },
      'pending application has no decision date',
    ],
    ['decidedOn', { decision: 'denied', decidedOn: null }, 'denied application needs a decision date'],
    [
      'decidedOn',
      { receivedOn: '2025-05-02', decidedOn: '2025-05-01', decision: 'granted' },
      'decided before',
    ],
    ['decision', { decision: 'approved' }, 'Invalid option'],
  ])('refuses a bad %s, naming the record', (field, patch, why) => {
    try {
      parseRegisterSourceRecords([records[0], { ...records[1], ...patch }]);
      expect.unreachable();
    } catch (e) {
      expect(isDomainError(e) && e.code).toBe('INVALID');
      const issue = isDomainError(e) ? e.issues[0]! : { path: '', message: '' };
      expect(issue.path).toBe(`records.1(${records[1]!.reference}).${field}`);
      expect(issue.message).toContain(why);
    }
  });
});
