// End-to-end walk through the pure workflow: every application state, a denial from another Member State that forces
// an Art 16 consultation, an Art 5 notice, due diligence, the decision document and the licence lifecycle.
import { describe, expect, it } from 'vitest';
import type { ApplicationTransition } from '../../domain/model.ts';
import type { ActorRole, CatchAllNotice } from '../../domain/workflow.ts';
import { cleanDueDiligenceAnswers } from '../../../test/fixtures/workflow/due-diligence.ts';
import { makeApplicationForDenialCheck, makeDenial } from '../../../test/fixtures/workflow/denials.ts';
import { makeDecision } from '../../../test/fixtures/workflow/decision.ts';
import { readWorkflowPolicy } from '../../../test/fixtures/workflow/policy-files.ts';
import {
  assessDenialGuards,
  assessDueDiligence,
  checkLicenceRequirements,
  computeSlaFigures,
  computeValidity,
  createWorkingCalendar,
  exportDenials,
  findEssentiallyIdenticalTransactions,
  openDenialConsultation,
  parseDenialExchange,
  parseDueDiligenceQuestionnaire,
  parseHolidayPolicy,
  parseLicenceTypePolicy,
  parseLifecyclePolicy,
  planCatchAllDuties,
  planTransition,
  renderDecisionDocument,
  type GuardFacts,
  type StateMachine,
} from './index.ts';

const load = <T>(name: string, parse: (t: string, s: string) => T): T => {
  const { text, sourceName } = readWorkflowPolicy(name);
  return parse(text, sourceName);
};
const lifecycle = load('lifecycle.yaml', parseLifecyclePolicy);
const de = createWorkingCalendar(load('holidays-de.yaml', parseHolidayPolicy));
const licenceTypes = load('licence-types.yaml', parseLicenceTypePolicy);
const questionnaire = load('due-diligence.yaml', parseDueDiligenceQuestionnaire);

class Case {
  status: string;
  history: ApplicationTransition[] = [];
  audit: string[] = [];
  constructor(
    private machine: StateMachine,
    initial = machine.initial,
  ) {
    this.status = initial;
  }
  move(to: string, role: ActorRole, facts: GuardFacts, at: string, reason?: string) {
    const plan = planTransition(this.machine, this.status, to, role, facts, { reason });
    if (plan.allowed) {
      this.history.push({
        fromStatus: this.status as never,
        toStatus: to as never,
        actorId: role,
        at,
        reason: reason ?? null,
      });
      this.audit.push(plan.auditAction);
      this.status = to;
    }
    return plan;
  }
}

describe('workflow scenario', () => {
  it('walks an application through every state to a reasoned refusal after an Art 16 consultation', () => {
    const app = new Case(lifecycle.application);
    const visited = new Set([app.status]);
    const go = (...args: Parameters<Case['move']>) => {
      const plan = app.move(...args);
      visited.add(app.status);
      return plan;
    };

    // The exporter cannot submit an incomplete application; nothing changes.
    expect(go('submitted', 'exporter', { application_complete: false }, '2026-03-02T08:00:00Z').allowed).toBe(
      false,
    );
    expect(app.status).toBe('draft');
    expect(go('submitted', 'exporter', { application_complete: true }, '2026-03-02T09:00:00Z').allowed).toBe(
      true,
    );
    // An exporter cannot start the assessment.
    expect(go('in_assessment', 'exporter', {}, '2026-03-02T10:00:00Z').allowed).toBe(false);
    const started = go('in_assessment', 'officer', {}, '2026-03-03T09:00:00Z');
    expect(started.allowed && started.effects).toContain('run_denial_check');

    // Denial check: France refused an essentially identical transaction; the file arrived through the exchange format.
    const received = parseDenialExchange(
      exportDenials([makeDenial()], {
        exportedAt: '2026-01-10T10:00:00Z',
        exportingAuthority: { memberState: 'FR', name: 'SBDU' },
      }),
    );
    const matches = findEssentiallyIdenticalTransactions(
      makeApplicationForDenialCheck(),
      received.denials,
      undefined,
      { asOf: '2026-03-03' },
    );
    expect(matches.map((m) => [m.denialId, m.strength, m.consultationRequired])).toEqual([
      ['den-fr-001', 'essentially_identical', true],
    ]);

    // Information request and answer; the due diligence record is then complete.
    expect(
      go(
        'information_requested',
        'officer',
        {},
        '2026-03-04T09:00:00Z',
        'Please provide the due-diligence record.',
      ).allowed,
    ).toBe(true);
    const dd = assessDueDiligence(questionnaire, {
      id: 'dd-1',
      applicationId: 'app-1',
      answers: cleanDueDiligenceAnswers,
    });
    expect(
      go('in_assessment', 'exporter', { information_provided: dd.complete }, '2026-03-06T09:00:00Z').allowed,
    ).toBe(true);

    // Consultation with France (Art 16(2)): 10 working days.
    expect(
      go('in_consultation', 'officer', {}, '2026-03-09T09:00:00Z', 'Essentially identical FR denial').allowed,
    ).toBe(true);
    let consultation = openDenialConsultation(de, {
      id: 'c-1',
      applicationId: 'app-1',
      denial: received.denials[0]!,
      openedOn: '2026-03-09',
    });
    expect(consultation.replyDueOn).toBe('2026-03-23');
    let guards = assessDenialGuards({
      checkedAt: '2026-03-03',
      matches,
      consultations: [consultation],
      overrideNotificationRecorded: false,
      asOf: '2026-03-12',
    });
    const early = go('in_assessment', 'officer', guards.facts, '2026-03-12T09:00:00Z');
    expect(early.allowed || early.refusal.kind).toBe('guard_failed');
    consultation = {
      ...consultation,
      status: 'answered_identical',
      answeredOn: '2026-03-16',
      answer: 'Essentially identical; our concerns stand.',
    };
    guards = assessDenialGuards({
      checkedAt: '2026-03-03',
      matches,
      consultations: [consultation],
      overrideNotificationRecorded: false,
      asOf: '2026-03-16',
    });
    expect(go('in_assessment', 'officer', guards.facts, '2026-03-16T09:00:00Z').allowed).toBe(true);

    // Granting now would need the Art 16(2) notification: refused, naming the guard.
    const requirements = checkLicenceRequirements(licenceTypes, 'individual', {
      endUseStatementOnFile: true,
    });
    const grant = go(
      'granted',
      'officer',
      { ...guards.facts, ...requirements.guardFacts, screening_hits_adjudicated: true, reasons_given: true },
      '2026-03-17T09:00:00Z',
    );
    expect(grant.allowed || grant.refusal.kind).toBe('guard_failed');
    if (!grant.allowed && grant.refusal.kind === 'guard_failed')
      expect(grant.refusal.failedGuards.map((g) => g.guard)).toEqual(['denial_override_notified']);

    // Refusal with reasons; the decision document shows them.
    const deny = go(
      'denied',
      'officer',
      { ...guards.facts, reasons_given: true },
      '2026-03-18T09:00:00Z',
      'Criterion 2; FR denial confirmed essentially identical',
    );
    expect(deny.allowed && deny.effects).toEqual(
      expect.arrayContaining([
        'record_denial',
        'notify_member_states_and_commission',
        'render_decision_document',
      ]),
    );
    expect(go('in_assessment', 'officer', {}, '2026-03-19T09:00:00Z').allowed).toBe(false); // final
    const html = renderDecisionDocument(
      makeDecision({
        reasons: [
          'France refused an essentially identical transaction (FR-SBDU-2025-0042) and confirmed it on consultation.',
        ],
      }),
      { lang: 'en' },
    );
    expect(html).toContain('FR-SBDU-2025-0042');

    expect(app.audit).toEqual([
      'application.submitted',
      'application.assessment_started',
      'application.information_requested',
      'application.information_provided',
      'application.consultation_opened',
      'application.consultation_closed',
      'application.denied',
    ]);

    // A second application: Art 5 notice for a non-listed item, then a conditional grant with the notification recorded.
    const notice: CatchAllNotice = {
      id: 'n-1',
      exporterOrganisationId: 'org-1',
      issuedOn: '2026-03-02',
      items: [
        { description: 'Facial recognition suite', controlEntries: [], categories: ['facial_recognition'] },
      ],
      destinationCountry: 'AE',
      endUsers: ['Falcon Monitoring Authority'],
      grounds: 'Risk of use in internal repression',
      legalBasis: 'Art 5(1)',
    };
    expect(
      planCatchAllDuties({ kind: 'notice', record: notice, informOthersInappropriate: false }).map(
        (d) => d.id,
      ),
    ).toContain('inform_member_states_and_commission');
    const second = new Case(lifecycle.application);
    second.move('submitted', 'exporter', { application_complete: true }, '2026-03-02T09:00:00Z');
    second.move('in_assessment', 'officer', {}, '2026-03-03T09:00:00Z');
    const notified = assessDenialGuards({
      checkedAt: '2026-03-03',
      matches,
      consultations: [consultation],
      overrideNotificationRecorded: true,
      asOf: '2026-03-20',
    });
    const conditional = second.move(
      'granted_with_conditions',
      'officer',
      {
        ...notified.facts,
        ...requirements.guardFacts,
        screening_hits_adjudicated: true,
        reasons_given: true,
        conditions_stated: true,
      },
      '2026-03-20T09:00:00Z',
      'Technical limits and post-shipment checks',
    );
    expect(conditional.allowed).toBe(true);
    visited.add(second.status);

    // A third: plain grant; a fourth: withdrawn.
    const third = new Case(lifecycle.application);
    third.move('submitted', 'exporter', { application_complete: true }, '2026-03-02T09:00:00Z');
    third.move('in_assessment', 'officer', {}, '2026-03-03T09:00:00Z');
    third.move(
      'granted',
      'officer',
      {
        essentially_identical_check_done: true,
        all_consultations_closed: true,
        denial_override_notified: true,
        screening_hits_adjudicated: true,
        ...requirements.guardFacts,
        reasons_given: true,
      },
      '2026-04-01T09:00:00Z',
    );
    visited.add(third.status);
    const fourth = new Case(lifecycle.application);
    fourth.move('submitted', 'exporter', { application_complete: true }, '2026-03-02T09:00:00Z');
    fourth.move('withdrawn', 'exporter', {}, '2026-03-05T09:00:00Z');
    visited.add(fourth.status);
    expect([...visited].sort()).toEqual([...lifecycle.application.states].sort());

    // SLA over the four histories.
    const sla = computeSlaFigures(
      de,
      [app, second, third, fourth].map((c, i) => ({ applicationId: `a${i}`, transitions: c.history })),
      { asOf: '2026-04-30' },
    );
    expect(sla).toMatchObject({ decidedCount: 3, withdrawnCount: 1 });
    expect(sla.withinTargets[0]).toMatchObject({ workingDays: 20, count: 2 });

    // The licence from the conditional grant: validity (2 years, unverified) and its lifecycle.
    const validity = computeValidity(licenceTypes, { licenceType: 'individual', issuedOn: '2026-03-20' });
    expect(validity).toMatchObject({ ok: true, validUntil: '2028-03-19', verified: false });
    const licence = new Case(lifecycle.licence);
    expect(
      licence.move(
        'suspended',
        'officer',
        { member_states_notified: true },
        '2026-06-01T09:00:00Z',
        'New forensic report',
      ).allowed,
    ).toBe(true);
    expect(
      licence.move('active', 'officer', {}, '2026-07-01T09:00:00Z', 'Report does not concern this end user')
        .allowed,
    ).toBe(true);
    expect(
      licence.move('expired', 'system', { validity_period_ended: false }, '2026-07-02T09:00:00Z').allowed,
    ).toBe(false);
    expect(
      licence.move('revoked', 'exporter', { member_states_notified: true }, '2026-08-01T09:00:00Z', 'x')
        .allowed,
    ).toBe(false);
    expect(
      licence.move(
        'revoked',
        'officer',
        { member_states_notified: true },
        '2026-08-01T09:00:00Z',
        'Misuse confirmed',
      ).allowed,
    ).toBe(true);
    expect(licence.audit).toEqual(['licence.suspended', 'licence.reinstated', 'licence.revoked']);
  });
});
