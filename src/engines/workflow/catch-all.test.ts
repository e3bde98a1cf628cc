import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../domain/errors.ts';
import type { CatchAllNotice, PublishedCatchAllEntry } from '../../domain/workflow.ts';
import { readWorkflowPolicy } from '../../../test/fixtures/workflow/policy-files.ts';
import {
  assessCatchAllConsultation,
  extendCatchAllConsultation,
  matchPublishedCatchAll,
  openCatchAllConsultation,
  parseCatchAllPolicy,
  planCatchAllDuties,
} from './catch-all.ts';
import { createWorkingCalendar, parseHolidayPolicy, workingDaysBetween } from './working-days.ts';

const p = readWorkflowPolicy('catch-all.yaml');
const policy = parseCatchAllPolicy(p.text, p.sourceName);
const h = readWorkflowPolicy('holidays-de.yaml');
const de = createWorkingCalendar(parseHolidayPolicy(h.text, h.sourceName));

const notice: CatchAllNotice = {
  id: 'n-1',
  exporterOrganisationId: 'org-1',
  issuedOn: '2026-03-02',
  items: [
    { description: 'Crowd facial recognition suite', controlEntries: [], categories: ['facial_recognition'] },
  ],
  destinationCountry: 'IR',
  endUsers: ['Example Police Directorate'],
  grounds: 'Documented use against protesters',
  legalBasis: 'Art 5(1)',
};

describe('Art 5 duties', () => {
  it('a notice requires a licence and informing customs, the Member States and the Commission', () => {
    const duties = planCatchAllDuties({ kind: 'notice', record: notice, informOthersInappropriate: false });
    expect(duties.map((d) => d.id)).toEqual([
      'licence_required',
      'inform_customs_and_national_authorities',
      'inform_member_states_and_commission',
    ]);
    expect(duties.every((d) => d.verified)).toBe(true);
  });

  it('skipping the Member States needs a reason', () => {
    expect(() =>
      planCatchAllDuties({ kind: 'notice', record: notice, informOthersInappropriate: true }),
    ).toThrow(/inappropriate/);
    const duties = planCatchAllDuties({
      kind: 'notice',
      record: notice,
      informOthersInappropriate: true,
      inappropriateReason: 'Ongoing investigation',
    });
    expect(duties.map((d) => d.id)).not.toContain('inform_member_states_and_commission');
  });

  it('an awareness notification asks the authority to decide', () => {
    const duties = planCatchAllDuties({
      kind: 'awareness',
      record: {
        id: 'a-1',
        exporterOrganisationId: 'org-1',
        notifiedOn: '2026-03-02',
        items: notice.items,
        destinationCountry: 'IR',
        endUsers: [],
        dueDiligenceRecordId: 'dd-1',
        findings: 'End user named in UN report',
      },
    });
    expect(duties).toEqual([
      expect.objectContaining({ id: 'decide_whether_licence_required', source: 'Art 5(2)' }),
    ]);
  });
});

describe('consultation of the other Member States (Art 5(5), unverified)', () => {
  const open = () =>
    openCatchAllConsultation(de, policy, {
      id: 'cc-1',
      requirementId: 'n-1',
      informedOn: '2026-03-02',
      memberStates: ['fr', 'NL', 'FR'],
    });

  it('runs a 30-working-day clock marked unverified', () => {
    const c = open();
    expect(c.memberStates).toEqual(['FR', 'NL']);
    expect(workingDaysBetween(de, '2026-03-02', c.dueOn)).toBe(30);
    expect(c.verified).toBe(false);
    expect(assessCatchAllConsultation(c, '2026-03-10').reasons.join(' ')).toMatch(/UNVERIFIED/);
  });

  it('caps the extension at 30 working days in total', () => {
    const c = extendCatchAllConsultation(de, policy, open(), 30);
    expect(workingDaysBetween(de, '2026-03-02', c.dueOn)).toBe(60);
    try {
      extendCatchAllConsultation(de, policy, c, 1);
      throw new Error('should refuse');
    } catch (e) {
      expect(isDomainError(e) && e.code).toBe('CONFLICT');
    }
  });

  it.each([
    [
      'all agree',
      [
        ['FR', true],
        ['NL', true],
      ],
      '2026-03-20',
      { closed: true, unanimous: true },
    ],
    [
      'one disagrees',
      [
        ['FR', true],
        ['NL', false],
      ],
      '2026-03-20',
      { closed: true, unanimous: false },
    ],
    ['one missing, in time', [['FR', true]], '2026-03-20', { closed: false, unanimous: null }],
    ['one missing, late', [['FR', true]], '2026-05-20', { closed: true, unanimous: false, overdue: true }],
  ] as const)('%s', (_l, answers, asOf, expected) => {
    const c = {
      ...open(),
      responses: answers.map(([memberState, agrees]) => ({
        memberState,
        respondedOn: '2026-03-10',
        agreesEssentiallyIdenticalRequirement: agrees,
      })),
    };
    expect(assessCatchAllConsultation(c, asOf)).toMatchObject(expected);
  });
});

describe('matchPublishedCatchAll', () => {
  const published: PublishedCatchAllEntry[] = [
    {
      id: 'oj-1',
      ojReference: 'OJ C 123, 1.4.2027',
      publishedOn: '2027-04-01',
      itemDescription: 'Biometric crowd identification systems',
      categories: ['facial_recognition'],
      keywords: ['facial recognition', 'crowd identification'],
      destinations: ['IR', 'RU'],
      reviewDueOn: '2028-04-01',
    },
    {
      id: 'oj-2',
      ojReference: 'OJ C 200, 1.6.2027',
      publishedOn: '2027-06-01',
      itemDescription: 'IMSI catchers not caught by 5A001.f',
      categories: [],
      keywords: ['imsi catcher'],
      destinations: [],
      reviewDueOn: '2028-06-01',
      withdrawnOn: '2028-01-01',
    },
  ];
  const app = (destinationCountry: string, description: string, categories: string[] = []) => ({
    destinationCountry,
    items: [{ description, controlEntries: [], categories }],
  });

  it.each([
    [
      'category and destination',
      app('IR', 'Stadium analytics', ['facial_recognition']),
      '2027-05-01',
      ['oj-1'],
    ],
    ['keyword in the description', app('RU', 'Real-time Facial Recognition module'), '2027-05-01', ['oj-1']],
    ['keyword as part of a word only', app('RU', 'superfacial recognitionless'), '2027-05-01', []],
    ['another destination', app('BR', 'Facial recognition module'), '2027-05-01', []],
    ['before publication', app('IR', 'Facial recognition module'), '2027-03-01', []],
    ['all destinations', app('BR', 'Portable IMSI catcher'), '2027-07-01', ['oj-2']],
    ['withdrawn entry', app('BR', 'Portable IMSI catcher'), '2028-02-01', []],
  ])('%s', (_l, application, asOf, ids) => {
    const m = matchPublishedCatchAll(application, published, { asOf });
    expect(m.map((x) => x.entryId)).toEqual(ids);
    for (const x of m) expect(x.verified).toBe(false);
  });

  it('flags a publication whose yearly review is overdue', () => {
    const [m] = matchPublishedCatchAll(app('IR', 'facial recognition'), published, { asOf: '2028-05-01' });
    expect(m?.reviewOverdue).toBe(true);
  });
});
