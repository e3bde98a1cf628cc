/** Notifications policy (policy/workflow/notifications.yaml): which audience each lifecycle effect and event reaches. */
import { z } from 'zod';
import { failPolicy, parsePolicyText } from '../workflow/policy-parser.ts';
import type { LifecyclePolicy } from '../workflow/lifecycle.ts';
import { LOCALES, type Locale } from '../../domain/locales.ts';

export const AUDIENCES = ['exporter', 'case_officer'] as const;
export type Audience = (typeof AUDIENCES)[number];

const audience = z.enum(AUDIENCES);

/** A policy text in each language it is written in; English is required (the reference language). */
export type LocalisedText = { en: string } & Partial<Record<Locale, string>>;
/** `'text'` (one text for every language) or `{ en: '...', fr: '...' }`. */
const localisedText = z.union([
  z
    .string()
    .min(1)
    .transform((en): LocalisedText => ({ en })),
  z.strictObject(
    Object.fromEntries(
      LOCALES.map((l) => [l, l === 'en' ? z.string().min(1) : z.string().min(1).optional()]),
    ) as { en: z.ZodString } & Record<Exclude<Locale, 'en'>, z.ZodOptional<z.ZodString>>,
  ),
]);

/** The text in `locale`, else in English. */
export const textIn = (text: LocalisedText, locale: Locale): string => text[locale] ?? text.en;
const schema = z.strictObject({
  version: z.string().min(1),
  effects: z.record(
    z.string().regex(/^notify_[a-z_]+$/, 'effect names start with notify_'),
    z.strictObject({ audience, action: localisedText.optional() }),
  ),
  events: z.record(z.string().min(1), z.strictObject({ audiences: z.array(audience).min(1) })),
  reminders: z.strictObject({
    everyHours: z
      .number()
      .positive()
      .max(24 * 7),
    workingDaysBefore: z.number().int().min(0).max(60),
    audienceByWho: z.strictObject({
      authority: audience,
      exporter: audience,
      consulted_member_state: audience,
    }),
  }),
});

export type NotificationPolicy = z.output<typeof schema>;

/** Parse and validate the notifications policy text. */
export function parseNotificationPolicy(text: string, sourceName: string): NotificationPolicy {
  return parsePolicyText(text, sourceName, schema);
}

/**
 * Every `notify_*` effect declared by the lifecycle must have an audience here: an unmapped effect would be a
 * notification silently never sent. Throws naming the transition.
 */
export function checkNotificationCoverage(
  policy: NotificationPolicy,
  lifecycle: LifecyclePolicy,
  sourceName: string,
): void {
  for (const machine of [lifecycle.application, lifecycle.licence])
    machine.transitions.forEach((t, i) => {
      for (const e of t.effects)
        if (e.startsWith('notify_') && !(e in policy.effects))
          failPolicy(
            sourceName,
            `effects.${e}`,
            `missing: machines.${machine.name}.transitions.${i} (${t.from} -> ${t.to}) declares it`,
          );
    });
}

/** One audience of an event and the actions it is asked to take (from the effects that reach it). */
export interface AudiencePlan {
  audience: Audience;
  effects: string[];
  actions: LocalisedText[];
}

/**
 * The audiences reached by a transition's effects, each once, in a stable order (exporter first). Effects that
 * are not notifications are ignored.
 *
 * @example
 * planAudiences(policy, ['stop_processing_clock', 'notify_exporter']) // [{ audience: 'exporter', effects: ['notify_exporter'], actions: [] }]
 */
export function planAudiences(policy: NotificationPolicy, effects: readonly string[]): AudiencePlan[] {
  const byAudience = new Map<Audience, AudiencePlan>();
  for (const e of effects) {
    const rule = policy.effects[e];
    if (!rule) continue;
    const plan = byAudience.get(rule.audience) ?? { audience: rule.audience, effects: [], actions: [] };
    plan.effects.push(e);
    if (rule.action) plan.actions.push(rule.action);
    byAudience.set(rule.audience, plan);
  }
  return AUDIENCES.flatMap((a) => (byAudience.has(a) ? [byAudience.get(a)!] : []));
}
