import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../domain/errors.ts';
import { makeApplicationForDenialCheck, makeDenial } from '../../../test/fixtures/workflow/denials.ts';
import { readWorkflowPolicy } from '../../../test/fixtures/workflow/policy-files.ts';
import {
  assessDenialConsultation,
  assessDenialGuards,
  computeDenialReviewDue,
  defaultPartyMatcher,
  extendDenialConsultation,
  findEssentiallyIdenticalTransactions,
  normalisePartyName,
  openDenialConsultation,
  type PartyMatcher,
} from './denials.ts';
import { createWorkingCalendar, parseHolidayPolicy } from './working-days.ts';

const h = readWorkflowPolicy('holidays-de.yaml');
const de = createWorkingCalendar(parseHolidayPolicy(h.text, h.sourceName));

describe('findEssentiallyIdenticalTransactions (Art 16(2), Art 2(22))', () => {
  it('finds a denial in force for the same end user and a corresponding control entry', () => {
    const [m, ...rest] = findEssentiallyIdenticalTransactions(
      makeApplicationForDenialCheck(),
      [makeDenial()],
      defaultPartyMatcher,
      { asOf: '2026-11-30' },
    );
    expect(rest).toEqual([]);
    expect(m).toMatchObject({
      denialId: 'den-fr-001',
      strength: 'essentially_identical',
      consultationRequired: true,
      reviewOverdue: false,
    });
    expect(m?.partyMatches[0]).toMatchObject({
      applicationRole: 'end_user',
      denialRole: 'end_user',
      strength: 'exact',
    });
    expect(m?.itemMatches[0]).toMatchObject({ basis: 'control_entry', strength: 'identical' });
    expect(m?.reasons.join(' ')).toMatch(/Consult FR before deciding \(Art 16\(2\)\)/);
  });

  it.each([
    [
      'a revoked denial',
      makeDenial({ status: 'revoked', revokedOn: '2026-01-01' }),
      makeApplicationForDenialCheck(),
    ],
    [
      'a different end user and consignee',
      makeDenial(),
      makeApplicationForDenialCheck({ parties: [{ role: 'end_user', name: 'Other Bureau', country: 'AE' }] }),
    ],
    [
      'the same name in another country',
      makeDenial(),
      makeApplicationForDenialCheck({
        parties: [{ role: 'end_user', name: 'Falcon Monitoring Authority', country: 'QA' }],
      }),
    ],
    [
      'different items (control entries do not correspond)',
      makeDenial(),
      makeApplicationForDenialCheck({
        items: [{ controlEntries: ['5A002.a'], description: 'Encrypted radio' }],
      }),
    ],
    [
      'only an intermediary in common',
      makeDenial({
        parties: [
          {
            role: 'intermediary',
            name: 'Falcon Monitoring Authority',
            address: '',
            country: 'AE',
            partyType: 'unknown',
          },
        ],
      }),
      makeApplicationForDenialCheck(),
    ],
  ])('ignores %s', (_label, denial, application) => {
    expect(findEssentiallyIdenticalTransactions(application, [denial])).toEqual([]);
  });

  it('matches a consignee against a denial that named it as consignee, across legal forms and accents', () => {
    const app = makeApplicationForDenialCheck({
      parties: [{ role: 'consignee', name: 'Désert Integration Systems, L.L.C.', country: 'AE' }],
    });
    const [m] = findEssentiallyIdenticalTransactions(app, [makeDenial()]);
    expect(m?.partyMatches[0]).toMatchObject({
      applicationRole: 'consignee',
      denialRole: 'consignee',
      strength: 'exact',
    });
  });

  it('treats entries that cover each other as corresponding (5A001.j vs 5A001.j.1) and flags overdue reviews', () => {
    const app = makeApplicationForDenialCheck({
      items: [{ controlEntries: ['5A001.j.1'], description: 'x' }],
    });
    const [m] = findEssentiallyIdenticalTransactions(app, [makeDenial()], defaultPartyMatcher, {
      asOf: '2028-06-11',
    });
    expect(m?.strength).toBe('essentially_identical');
    expect(m?.reviewOverdue).toBe(true);
    expect(m?.reasons.join(' ')).toMatch(/three-year review was due on 2028-06-10/);
  });

  it('falls back to the description when control entries are missing, as a possible match', () => {
    const denial = makeDenial({
      controlEntries: [],
      itemDescription: 'Facial recognition cameras for crowd monitoring',
    });
    const app = makeApplicationForDenialCheck({
      items: [{ controlEntries: [], description: 'Crowd monitoring facial recognition cameras' }],
    });
    const [m] = findEssentiallyIdenticalTransactions(app, [denial]);
    expect(m).toMatchObject({ strength: 'possible' });
    expect(m?.itemMatches[0]?.basis).toBe('description');
  });

  it('uses the injected matcher (e.g. the screening engine) and reports its reasons', () => {
    const calls: string[] = [];
    const matcher: PartyMatcher = (a, d) => {
      calls.push(`${a.name}|${d.name}`);
      return a.name.startsWith('Gulf') && d.role === 'consignee'
        ? { strength: 'possible', score01: 0.82, reasons: ['screening: alias hit'] }
        : { strength: 'none', score01: 0, reasons: [] };
    };
    const [m] = findEssentiallyIdenticalTransactions(
      makeApplicationForDenialCheck(),
      [makeDenial()],
      matcher,
    );
    expect(calls.length).toBe(4);
    expect(m).toMatchObject({ strength: 'possible' });
    expect(m?.partyMatches).toEqual([
      expect.objectContaining({
        applicationParty: 'Gulf Logistics FZE',
        score01: 0.82,
        reasons: ['screening: alias hit'],
      }),
    ]);
  });

  it('own denials need no consultation', () => {
    const [m] = findEssentiallyIdenticalTransactions(makeApplicationForDenialCheck(), [
      makeDenial({ origin: 'own', notifyingMemberState: 'DE' }),
    ]);
    expect(m?.consultationRequired).toBe(false);
  });

  it('property: name normalisation is idempotent and case/punctuation-insensitive', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (name) => {
        const n = normalisePartyName(name);
        expect(normalisePartyName(n)).toBe(n);
        expect(normalisePartyName(`${name.toUpperCase()}.`)).toBe(normalisePartyName(name.toUpperCase()));
      }),
    );
  });
});

describe('consultations and the duty to notify', () => {
  const denial = makeDenial();

  it('opens with a 10-working-day reply deadline and lapses to "not identical" after it', () => {
    const c = openDenialConsultation(de, {
      id: 'c-1',
      applicationId: 'app-1',
      denial,
      openedOn: '2026-03-02',
    });
    expect(c).toMatchObject({ replyDueOn: '2026-03-16', consultedMemberState: 'FR', status: 'open' });
    expect(assessDenialConsultation(c, '2026-03-16')).toMatchObject({ closed: false });
    expect(assessDenialConsultation(c, '2026-03-17')).toMatchObject({
      closed: true,
      effectiveStatus: 'lapsed_not_identical',
      considersIdentical: false,
    });
  });

  it('extends by agreement up to 30 working days in total, no further', () => {
    const c = openDenialConsultation(de, {
      id: 'c-1',
      applicationId: 'app-1',
      denial,
      openedOn: '2026-03-02',
    });
    const e1 = extendDenialConsultation(de, c, 20);
    expect(e1).toMatchObject({ extensionWorkingDays: 20, status: 'extended' });
    const e2 = extendDenialConsultation(de, e1, 10);
    expect(e2.extensionWorkingDays).toBe(30);
    try {
      extendDenialConsultation(de, e2, 1);
      throw new Error('should refuse');
    } catch (e) {
      expect(isDomainError(e) && e.code).toBe('CONFLICT');
    }
  });

  it('requires consultations and the notification when granting despite an identical denial', () => {
    const matches = findEssentiallyIdenticalTransactions(makeApplicationForDenialCheck(), [denial]);
    const none = assessDenialGuards({
      checkedAt: '2026-03-01',
      matches,
      consultations: [],
      overrideNotificationRecorded: false,
      asOf: '2026-03-02',
    });
    expect(none.facts.all_consultations_closed).toBe(false);
    expect(none.missingConsultations).toEqual(['den-fr-001']);

    const c = {
      ...openDenialConsultation(de, { id: 'c-1', applicationId: 'app-1', denial, openedOn: '2026-03-02' }),
      status: 'answered_identical' as const,
      answeredOn: '2026-03-05',
    };
    const g = assessDenialGuards({
      checkedAt: '2026-03-01',
      matches,
      consultations: [c],
      overrideNotificationRecorded: false,
      asOf: '2026-03-06',
    });
    expect(g.facts).toEqual({
      essentially_identical_check_done: true,
      all_consultations_closed: true,
      denial_override_notified: false,
    });
    expect(g.notificationRequired).toBe(true);
    const notified = assessDenialGuards({
      checkedAt: '2026-03-01',
      matches,
      consultations: [c],
      overrideNotificationRecorded: true,
      asOf: '2026-03-06',
    });
    expect(notified.facts.denial_override_notified).toBe(true);

    const notIdentical = { ...c, status: 'answered_not_identical' as const };
    expect(
      assessDenialGuards({
        checkedAt: '2026-03-01',
        matches,
        consultations: [notIdentical],
        overrideNotificationRecorded: false,
        asOf: '2026-03-06',
      }).notificationRequired,
    ).toBe(false);
    expect(
      assessDenialGuards({
        checkedAt: null,
        matches: [],
        consultations: [],
        overrideNotificationRecorded: false,
        asOf: '2026-03-06',
      }).facts.essentially_identical_check_done,
    ).toBe(false);
  });

  it.each([
    ['2025-06-10', '2028-06-10'],
    ['2024-02-29', '2027-02-28'],
    ['2023-12-31', '2026-12-31'],
  ])('review of a denial of %s is due %s', (d, due) => expect(computeDenialReviewDue(d)).toBe(due));
});
