import { describe, expect, it } from 'vitest';
import { createDefaultSafeguardChecklist } from '../../domain/assessment.ts';
import { DomainError } from '../../domain/errors.ts';
import { applySafeguardEdit } from './safeguard-checklist.ts';

describe('applySafeguardEdit', () => {
  const list = createDefaultSafeguardChecklist();
  it('applies an edit immutably and returns the audit record', () => {
    const { checklist, audit } = applySafeguardEdit(
      'EG',
      list,
      {
        criterion: 'independent_oversight',
        value: 'false',
        source: 'UN Human Rights Committee, concluding observations',
      },
      'officer-7',
      '2026-11-29T20:00:00Z',
    );
    expect(checklist.find((a) => a.criterion === 'independent_oversight')).toMatchObject({ value: 'false' });
    expect(list.find((a) => a.criterion === 'independent_oversight')?.value).toBe('unknown');
    expect(audit).toMatchObject({
      country: 'EG',
      from: { value: 'unknown', source: null },
      to: { value: 'false' },
      actorId: 'officer-7',
    });
  });
  it('refuses a true/false answer without a source, and an unknown criterion, naming the field', () => {
    const noSource = (() => {
      try {
        applySafeguardEdit(
          'EG',
          list,
          { criterion: 'effective_remedy', value: 'true', source: null },
          'o',
          't',
        );
      } catch (e) {
        return e as DomainError;
      }
      return null;
    })();
    expect(noSource?.issues.map((i) => i.path)).toEqual(['source']);
    expect(() =>
      applySafeguardEdit('EG', list, { criterion: 'no_such', value: 'true', source: 'x' }, 'o', 't'),
    ).toThrow(DomainError);
  });
});
