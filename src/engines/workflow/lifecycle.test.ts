import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { APPLICATION_STATUSES, LICENCE_STATUSES } from '../../domain/model.ts';
import { isDomainError } from '../../domain/errors.ts';
import { readWorkflowPolicy } from '../../../test/fixtures/workflow/policy-files.ts';
import {
  ACTOR_ROLES,
  listAvailableTransitions,
  parseLifecyclePolicy,
  planTransition,
  type StateMachine,
} from './lifecycle.ts';

const { text, sourceName } = readWorkflowPolicy('lifecycle.yaml');
const lifecycle = parseLifecyclePolicy(text, sourceName);

const allFacts = (m: StateMachine) => Object.fromEntries(Object.keys(m.guards).map((g) => [g, true]));

// The expected access matrix, written out independently of the YAML: "from>to": roles.
const EXPECTED_APPLICATION: Record<string, string[]> = {
  'draft>submitted': ['exporter'],
  'draft>withdrawn': ['exporter'],
  'submitted>in_assessment': ['officer'],
  'submitted>information_requested': ['officer'],
  'submitted>withdrawn': ['exporter'],
  'in_assessment>information_requested': ['officer'],
  'information_requested>in_assessment': ['exporter', 'officer'],
  'information_requested>withdrawn': ['exporter'],
  'in_assessment>in_consultation': ['officer'],
  'in_consultation>in_assessment': ['officer'],
  'in_consultation>withdrawn': ['exporter'],
  'in_assessment>withdrawn': ['exporter'],
  'in_assessment>granted': ['officer'],
  'in_assessment>granted_with_conditions': ['officer'],
  'in_assessment>denied': ['officer'],
};
const EXPECTED_LICENCE: Record<string, string[]> = {
  'active>suspended': ['officer'],
  'suspended>active': ['officer'],
  'active>revoked': ['officer'],
  'suspended>revoked': ['officer'],
  'active>annulled': ['officer'],
  'suspended>annulled': ['officer'],
  'active>expired': ['system', 'officer'],
  'suspended>expired': ['system', 'officer'],
  'active>exhausted': ['system', 'officer'],
};

describe.each([
  ['application', lifecycle.application, APPLICATION_STATUSES, EXPECTED_APPLICATION],
  ['licence', lifecycle.licence, LICENCE_STATUSES, EXPECTED_LICENCE],
] as const)('%s machine: exhaustive table', (_name, machine, states, expected) => {
  const rows = states.flatMap((from) =>
    states.flatMap((to) => ACTOR_ROLES.map((role) => [from, to, role] as const)),
  );
  it.each(rows)('%s -> %s by %s', (from, to, role) => {
    const plan = planTransition(machine, from, to, role, allFacts(machine), { reason: 'because' });
    const shouldAllow = (expected[`${from}>${to}`] ?? []).includes(role);
    expect(plan.allowed).toBe(shouldAllow);
    if (!plan.allowed) {
      if (machine.terminal.includes(from)) expect(plan.refusal.kind).toBe('terminal_state');
      else if (!expected[`${from}>${to}`]) expect(plan.refusal.kind).toBe('no_such_transition');
      else expect(plan.refusal.kind).toBe('role_not_allowed');
    }
  });
});

describe('planTransition refusals', () => {
  const app = lifecycle.application;

  it('names every failing guard, missing or false, with its legal source', () => {
    const plan = planTransition(app, 'in_assessment', 'granted', 'officer', {
      essentially_identical_check_done: true,
      all_consultations_closed: false,
    });
    expect(plan.allowed).toBe(false);
    if (plan.allowed || plan.refusal.kind !== 'guard_failed') throw new Error('expected guard_failed');
    const byGuard = Object.fromEntries(plan.refusal.failedGuards.map((g) => [g.guard, g.fact]));
    expect(byGuard).toEqual({
      all_consultations_closed: 'false',
      screening_hits_adjudicated: 'missing',
      denial_override_notified: 'missing',
      end_use_statement_on_file: 'missing',
      icp_on_file_or_waived: 'missing',
      reasons_given: 'missing',
    });
    expect(plan.refusal.failedGuards.find((g) => g.guard === 'all_consultations_closed')?.source).toMatch(
      /Art 16\(2\)/,
    );
  });

  it('requires a reason for a denial, and accepts it when given', () => {
    const facts = {
      essentially_identical_check_done: true,
      all_consultations_closed: true,
      reasons_given: true,
    };
    const refused = planTransition(app, 'in_assessment', 'denied', 'officer', facts, { reason: '   ' });
    expect(refused.allowed || refused.refusal.kind).toBe('reason_missing');
    const ok = planTransition(app, 'in_assessment', 'denied', 'officer', facts, {
      reason: 'Criterion 2: serious risk',
    });
    expect(ok.allowed).toBe(true);
    if (ok.allowed) {
      expect(ok.auditAction).toBe('application.denied');
      expect(ok.effects).toContain('record_denial');
      expect(ok.effects).toContain('notify_member_states_and_commission');
    }
  });

  it('refuses unknown states and lists the allowed targets', () => {
    const unknown = planTransition(app, 'draft', 'approved', 'exporter', {});
    expect(unknown.allowed || unknown.refusal.kind).toBe('unknown_state');
    const jump = planTransition(app, 'draft', 'granted', 'officer', allFacts(app));
    if (jump.allowed || jump.refusal.kind !== 'no_such_transition')
      throw new Error('expected no_such_transition');
    expect(jump.refusal.allowedTargets.sort()).toEqual(['submitted', 'withdrawn']);
  });

  it('starts the Art 16(2) 10-working-day deadline on entering consultation', () => {
    const plan = planTransition(
      app,
      'in_assessment',
      'in_consultation',
      'officer',
      {},
      { reason: 'FR denial' },
    );
    expect(plan.allowed && plan.deadline).toMatchObject({ workingDays: 10, who: 'consulted_member_state' });
    const back = planTransition(app, 'in_consultation', 'in_assessment', 'officer', {
      all_consultations_closed: true,
    });
    expect(back.allowed && back.deadline).toBeNull();
  });

  it('lists what an actor may attempt from a state', () => {
    expect(
      listAvailableTransitions(app, 'information_requested', 'exporter')
        .map((t) => t.to)
        .sort(),
    ).toEqual(['in_assessment', 'withdrawn']);
    expect(listAvailableTransitions(app, 'denied', 'officer')).toEqual([]);
  });

  it('property: a refused plan never carries effects, an allowed one always has an audit action', () => {
    const states = [...APPLICATION_STATUSES, 'nonsense'];
    fc.assert(
      fc.property(
        fc.constantFrom(...states),
        fc.constantFrom(...states),
        fc.constantFrom(...ACTOR_ROLES),
        fc.dictionary(fc.constantFrom(...Object.keys(app.guards)), fc.boolean()),
        fc.option(fc.string(), { nil: undefined }),
        (from, to, role, facts, reason) => {
          const plan = planTransition(app, from, to, role, facts, { reason });
          if (plan.allowed) {
            expect(plan.auditAction).toMatch(/^application\./);
            expect(Object.keys(EXPECTED_APPLICATION)).toContain(`${from}>${to}`);
          } else {
            expect('effects' in plan).toBe(false);
            expect(plan.refusal.message.length).toBeGreaterThan(0);
          }
        },
      ),
    );
  });
});

describe('parseLifecyclePolicy validation', () => {
  it.each([
    [
      'unknown guard',
      text.replace('guards: [application_complete]', 'guards: [no_such_guard]'),
      /guards\.0: unknown guard no_such_guard/,
    ],
    [
      'missing domain state',
      text.replace(', withdrawn]\n    terminal: [granted', ']\n    terminal: [granted'),
      /states: must equal/,
    ],
    [
      'bad role',
      text.replace(
        'roles: [exporter], guards: [application_complete]',
        'roles: [customs], guards: [application_complete]',
      ),
      /roles/,
    ],
    ['bad YAML', 'machines: [', /not valid YAML/],
  ])('rejects %s, naming the file and rule', (_label, bad, pattern) => {
    try {
      parseLifecyclePolicy(bad, sourceName);
      throw new Error('should have failed');
    } catch (e) {
      expect(isDomainError(e)).toBe(true);
      expect((e as Error).message).toContain(sourceName);
      expect((e as Error).message).toMatch(pattern);
    }
  });
});
