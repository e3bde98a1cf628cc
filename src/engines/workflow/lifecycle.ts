/** Application and licence lifecycles as data-driven state machines: who may move a case where, under which guards. */
import { z } from 'zod';
import { APPLICATION_STATUSES, LICENCE_STATUSES, USER_ROLES } from '../../domain/model.ts';
import type { ActorRole } from '../../domain/workflow.ts';
import { failPolicy, parsePolicyText } from './policy-parser.ts';

export const ACTOR_ROLES = [...USER_ROLES, 'system'] as const;

const guardSchema = z.object({ description: z.string().min(1), source: z.string().min(1) }).strict();

const transitionSchema = z
  .object({
    from: z.string().min(1),
    to: z.string().min(1),
    roles: z.array(z.enum(ACTOR_ROLES)).min(1),
    guards: z.array(z.string()),
    reasonRequired: z.boolean(),
    audit: z.string().regex(/^[a-z_]+\.[a-z_]+$/, 'audit action must look like `entity.verb`'),
    effects: z.array(z.string().regex(/^[a-z_]+$/)),
  })
  .strict();

const machineSchema = z
  .object({
    initial: z.string(),
    states: z.array(z.string()).min(1),
    terminal: z.array(z.string()),
    stateDeadlines: z.record(
      z.string(),
      z
        .object({
          workingDays: z.number().int().positive(),
          who: z.enum(['authority', 'exporter', 'consulted_member_state']),
          verified: z.boolean(),
          source: z.string().min(1),
        })
        .strict(),
    ),
    transitions: z.array(transitionSchema).min(1),
  })
  .strict();

export const lifecyclePolicySchema = z
  .object({
    version: z.string().min(1),
    guards: z.record(z.string().regex(/^[a-z_]+$/), guardSchema),
    machines: z.object({ application: machineSchema, licence: machineSchema }).strict(),
  })
  .strict();

export type GuardDefinition = z.infer<typeof guardSchema>;
export type TransitionRule = z.infer<typeof transitionSchema>;
export type StateDeadline = z.infer<typeof machineSchema>['stateDeadlines'][string];

/** One state machine with the guard definitions it uses. */
export interface StateMachine {
  name: 'application' | 'licence';
  policyVersion: string;
  initial: string;
  states: readonly string[];
  terminal: readonly string[];
  stateDeadlines: Readonly<Record<string, StateDeadline>>;
  transitions: readonly TransitionRule[];
  guards: Readonly<Record<string, GuardDefinition>>;
}

export interface LifecyclePolicy {
  version: string;
  application: StateMachine;
  licence: StateMachine;
}

/** Facts the caller supplies for the guards, by guard name; a missing fact counts as not satisfied. */
export type GuardFacts = Readonly<Record<string, boolean | undefined>>;

export type TransitionRefusal =
  | { kind: 'unknown_state'; state: string; message: string }
  | { kind: 'terminal_state'; state: string; message: string }
  | { kind: 'no_such_transition'; from: string; to: string; allowedTargets: string[]; message: string }
  | { kind: 'role_not_allowed'; role: ActorRole; allowedRoles: ActorRole[]; message: string }
  | {
      kind: 'guard_failed';
      failedGuards: { guard: string; description: string; source: string; fact: 'false' | 'missing' }[];
      message: string;
    }
  | { kind: 'reason_missing'; message: string };

export type TransitionPlan =
  | {
      allowed: true;
      machine: StateMachine['name'];
      from: string;
      to: string;
      actorRole: ActorRole;
      auditAction: string;
      effects: string[];
      reasonRequired: boolean;
      /** The deadline that starts on entering `to`, if any (compute the date with addWorkingDays). */
      deadline: StateDeadline | null;
      guardsChecked: { guard: string; source: string }[];
      policyVersion: string;
    }
  | {
      allowed: false;
      machine: StateMachine['name'];
      from: string;
      to: string;
      actorRole: ActorRole;
      refusal: TransitionRefusal;
    };

/**
 * Parse and cross-check policy/workflow/lifecycle.yaml. The application machine's states must equal
 * APPLICATION_STATUSES and the licence machine's LICENCE_STATUSES; every transition must use known states and guards.
 *
 * @example
 * const lifecycle = parseLifecyclePolicy(text, 'policy/workflow/lifecycle.yaml');
 * planTransition(lifecycle.application, 'draft', 'submitted', 'exporter', { application_complete: true });
 */
export function parseLifecyclePolicy(text: string, sourceName: string): LifecyclePolicy {
  const raw = parsePolicyText(text, sourceName, lifecyclePolicySchema);
  const build = (name: 'application' | 'licence', expected: readonly string[]): StateMachine => {
    const m = raw.machines[name];
    const base = `machines.${name}`;
    const states = new Set(m.states);
    const missing = expected.filter((s) => !states.has(s));
    const extra = m.states.filter((s) => !expected.includes(s));
    if (missing.length > 0 || extra.length > 0)
      failPolicy(
        sourceName,
        `${base}.states`,
        `must equal the domain statuses (missing: ${missing}; unknown: ${extra})`,
      );
    if (!states.has(m.initial)) failPolicy(sourceName, `${base}.initial`, `unknown state ${m.initial}`);
    m.terminal.forEach((t, i) => {
      if (!states.has(t)) failPolicy(sourceName, `${base}.terminal.${i}`, `unknown state ${t}`);
    });
    for (const s of Object.keys(m.stateDeadlines))
      if (!states.has(s)) failPolicy(sourceName, `${base}.stateDeadlines.${s}`, `unknown state ${s}`);
    const seen = new Set<string>();
    m.transitions.forEach((t, i) => {
      const at = `${base}.transitions.${i}`;
      if (!states.has(t.from)) failPolicy(sourceName, `${at}.from`, `unknown state ${t.from}`);
      if (!states.has(t.to)) failPolicy(sourceName, `${at}.to`, `unknown state ${t.to}`);
      if (m.terminal.includes(t.from)) failPolicy(sourceName, `${at}.from`, `${t.from} is terminal`);
      t.guards.forEach((g, j) => {
        if (!(g in raw.guards)) failPolicy(sourceName, `${at}.guards.${j}`, `unknown guard ${g}`);
      });
      for (const role of t.roles) {
        const key = `${t.from}>${t.to}>${role}`;
        if (seen.has(key))
          failPolicy(sourceName, `${at}.roles`, `duplicate transition ${t.from} -> ${t.to} for ${role}`);
        seen.add(key);
      }
    });
    return {
      name,
      policyVersion: raw.version,
      initial: m.initial,
      states: m.states,
      terminal: m.terminal,
      stateDeadlines: m.stateDeadlines,
      transitions: m.transitions,
      guards: raw.guards,
    };
  };
  return {
    version: raw.version,
    application: build('application', APPLICATION_STATUSES),
    licence: build('licence', LICENCE_STATUSES),
  };
}

/**
 * Decide whether `actorRole` may move a case from `from` to `to`, given guard facts (and the reason, when required).
 * Refusals say which state, role, guard or reason stopped it; nothing is changed here.
 *
 * @example
 * planTransition(lifecycle.application, 'in_assessment', 'denied', 'officer',
 *   { essentially_identical_check_done: true, all_consultations_closed: true, reasons_given: true },
 *   { reason: 'Criterion 2 risk' });
 * // => { allowed: true, auditAction: 'application.denied', effects: ['stop_processing_clock', 'record_denial', ...] }
 */
export function planTransition(
  machine: StateMachine,
  from: string,
  to: string,
  actorRole: ActorRole,
  facts: GuardFacts,
  options: { reason?: string | null } = {},
): TransitionPlan {
  const head = { machine: machine.name, from, to, actorRole } as const;
  const refuse = (refusal: TransitionRefusal): TransitionPlan => ({ allowed: false, ...head, refusal });
  for (const state of [from, to]) {
    if (!machine.states.includes(state))
      return refuse({ kind: 'unknown_state', state, message: `${state} is not a ${machine.name} state.` });
  }
  if (machine.terminal.includes(from))
    return refuse({
      kind: 'terminal_state',
      state: from,
      message: `A ${machine.name} in state ${from} is final.`,
    });
  const candidates = machine.transitions.filter((t) => t.from === from && t.to === to);
  if (candidates.length === 0) {
    const allowedTargets = [...new Set(machine.transitions.filter((t) => t.from === from).map((t) => t.to))];
    return refuse({
      kind: 'no_such_transition',
      from,
      to,
      allowedTargets,
      message: `A ${machine.name} cannot go from ${from} to ${to}; from ${from} it can go to: ${allowedTargets.join(', ')}.`,
    });
  }
  const rule = candidates.find((t) => t.roles.includes(actorRole));
  if (!rule) {
    const allowedRoles = [...new Set(candidates.flatMap((t) => t.roles))];
    return refuse({
      kind: 'role_not_allowed',
      role: actorRole,
      allowedRoles,
      message: `The role ${actorRole} may not move a ${machine.name} from ${from} to ${to}; allowed: ${allowedRoles.join(', ')}.`,
    });
  }
  const failedGuards = rule.guards
    .filter((g) => facts[g] !== true)
    .map((g) => {
      const def = machine.guards[g] as GuardDefinition;
      return {
        guard: g,
        description: def.description,
        source: def.source,
        fact: facts[g] === false ? 'false' : 'missing',
      } as const;
    });
  if (failedGuards.length > 0)
    return refuse({
      kind: 'guard_failed',
      failedGuards,
      message: `Conditions not met for ${from} -> ${to}: ${failedGuards.map((f) => `${f.guard} (${f.fact})`).join(', ')}.`,
    });
  if (rule.reasonRequired && !(options.reason ?? '').trim())
    return refuse({
      kind: 'reason_missing',
      message: `Moving a ${machine.name} from ${from} to ${to} requires a reason.`,
    });
  return {
    allowed: true,
    ...head,
    auditAction: rule.audit,
    effects: [...rule.effects],
    reasonRequired: rule.reasonRequired,
    deadline: machine.stateDeadlines[to] ?? null,
    guardsChecked: rule.guards.map((g) => ({
      guard: g,
      source: (machine.guards[g] as GuardDefinition).source,
    })),
    policyVersion: machine.policyVersion,
  };
}

/**
 * The transitions an actor could attempt from a state (before guards), for menus and API hints.
 *
 * @example
 * listAvailableTransitions(lifecycle.application, 'draft', 'exporter'); // => [{ to: 'submitted', ... }, { to: 'withdrawn', ... }]
 */
export function listAvailableTransitions(
  machine: StateMachine,
  from: string,
  actorRole: ActorRole,
): { to: string; guards: string[]; reasonRequired: boolean; auditAction: string }[] {
  return machine.transitions
    .filter((t) => t.from === from && t.roles.includes(actorRole))
    .map((t) => ({
      to: t.to,
      guards: [...t.guards],
      reasonRequired: t.reasonRequired,
      auditAction: t.audit,
    }));
}
