/**
 * Casework notifications from the policy's declared effects: each event writes exactly the expected outbox messages
 * to the right recipients (never another exporter), in the transaction of the change; texts carry no confidential
 * field of another organisation; e-mails go out over a real local SMTP server. Deadline reminders and the recurring
 * job schedule run on an injected clock (no sleeps).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimJobs, completeJob, createWorker } from '../../src/jobs/queue.ts';
import { listRecurringRuns, RECURRING_KEY, withRecurrence } from '../../src/jobs/recurring.ts';
import { jobHandlers, recurringJobs, scheduleRecurringJobs } from '../../src/main.ts';
import type { Principal } from '../../src/domain/model.ts';
import { PUBLIC, systemPrincipal } from '../../src/domain/model.ts';
import {
  answerInformationRequest,
  assignCase,
  requestInformation,
} from '../../src/services/casework.service.ts';
import { guardFactProviders, type GuardFactProvider } from '../../src/services/casework/guard-facts.ts';
import { createServiceContext, type ServiceContext } from '../../src/services/context.ts';
import { decideApplication } from '../../src/services/decisions.service.ts';
import {
  createDenial,
  openApplicationConsultation,
  updateApplicationConsultation,
} from '../../src/services/denials.service.ts';
import { createUser, setOwnPreferences } from '../../src/services/identity.service.ts';
import {
  EXPIRE_LICENCES_QUEUE,
  expireLicences,
  transitionLicence,
} from '../../src/services/licences.service.ts';
import { DEADLINE_REMINDERS_QUEUE, sendDeadlineReminders } from '../../src/services/notifications.service.ts';
import { createWebhookSubscription } from '../../src/services/outbox.service.ts';
import { PUBLICATION_SCHEDULE_QUEUE } from '../../src/services/publication.service.ts';
import { makeCaseInAssessment } from '../factories/casework.ts';
import { makeWorld, TEST_PASSWORD, type World } from '../factories/world.ts';
import { testConfig } from '../support/config.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';

let database: TestDatabase;
let ctx: ServiceContext;
let world: World;
let sink: SmtpSink;
let officer2: { userId: string; email: string; principal: Principal };
let clock = new Date('2026-12-01T09:00:00Z'); // a Tuesday

// Art 16 guard facts for the decision (the denial flow has its own tests); consultation events are driven for real.
const providers = [
  ...guardFactProviders,
  (async () => ({
    essentially_identical_check_done: true,
    all_consultations_closed: true,
    denial_override_notified: true,
  })) as GuardFactProvider,
];

const GRANT = {
  outcome: 'granted_with_conditions' as const,
  legalBasis: [{ citation: 'Regulation (EU) 2021/821, Art 12', text: 'Individual export authorisation.' }],
  criteria: [],
  rightsEngaged: [],
  reasons: ['The end user is a police service under judicial oversight.'],
  conditions: ['Post-shipment verification within six months.'],
  evidence: [],
};

interface Row {
  kind: string;
  event: string;
  recipient: string;
  payload: { subject?: string; text?: string } & Record<string, unknown>;
}

/** The outbox messages written since `mark` (the ids that existed then). */
async function messagesSince(mark: Set<string>): Promise<Row[]> {
  const rows = await ctx.db
    .selectFrom('outbox_messages')
    .select(['kind', 'event', 'recipient', 'payload', 'id'])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.filter((r) => !mark.has(r.id)) as unknown as Row[];
}
/** The ids of the outbox messages written so far. */
const count = async () =>
  new Set((await messagesSince(new Set())).map((r) => (r as unknown as { id: string }).id));
const emails = (rows: Row[]) =>
  rows
    .filter((r) => r.kind === 'email')
    .map((r) => `${r.event} -> ${r.recipient}`)
    .sort();

/** A submitted, assessed case of the exporter, with an end-use statement on file. */
const caseInAssessment = (exporter: Principal) => makeCaseInAssessment(ctx, world, exporter);

beforeAll(async () => {
  sink = await startSmtpSink();
  database = await createTestDatabase();
  ctx = createServiceContext(
    database.db,
    testConfig({
      CUSTOS_SMTP_HOST: '127.0.0.1',
      CUSTOS_SMTP_PORT: String(sink.port),
      CUSTOS_PUBLIC_URL: 'https://custos.authority.test',
    }),
    { now: () => clock },
  );
  world = await makeWorld(ctx, 'notify');
  const u = await createUser(ctx, systemPrincipal('test'), {
    organisationId: world.authorityId,
    email: 'officer2-notify@example.test',
    displayName: 'Second officer',
    role: 'officer',
    password: TEST_PASSWORD,
  });
  officer2 = {
    userId: u.id,
    email: 'officer2-notify@example.test',
    principal: {
      kind: 'user',
      userId: u.id,
      organisationId: world.authorityId,
      role: 'officer',
      via: 'session',
    },
  };
});
afterAll(async () => {
  await database.close();
  await sink.close();
});

describe('notifications from the lifecycle effects', () => {
  it('submission, information request and answer, decision, licence suspension and expiry: exactly the expected messages', async () => {
    const A = world.exporterA;
    const officers = [world.officer.email, officer2.email];
    const hook = await createWebhookSubscription(ctx, world.admin.principal, {
      url: 'http://127.0.0.1:9/unused',
      events: ['application.granted_with_conditions', 'licence.suspended'],
    });

    // Exporter B's case runs beside A's: nothing of it may reach A, and B is never told about A.
    const b = await caseInAssessment(world.exporterB.principal);

    let mark = await count();
    const a = await caseInAssessment(A.principal);
    let rows = await messagesSince(mark);
    // draft -> submitted: notify_exporter + notify_authority; submitted -> in_assessment: no notify_* effect.
    expect(emails(rows)).toEqual(
      [`application.submitted -> ${A.email}`, ...officers.map((o) => `application.submitted -> ${o}`)].sort(),
    );

    // Assigned: the authority's messages go to the case officer only.
    const assigned = await assignCase(ctx, world.officer.principal, a.id, {
      officerId: officer2.userId,
      expectedVersion: a.version,
    });
    mark = await count();
    const request = await requestInformation(ctx, world.officer.principal, a.id, {
      questions: ['Which units will operate the system?'],
      workingDays: 10,
      expectedVersion: assigned.version,
    });
    rows = await messagesSince(mark);
    expect(emails(rows)).toEqual([`application.information_requested -> ${A.email}`]);
    const ask = rows.find((r) => r.kind === 'email')!.payload;
    expect(ask.subject).toBe(`Application ${a.reference}: information requested`);
    expect(ask.text).toContain('Which units will operate the system?');
    expect(ask.text).toContain(`Please answer by ${request.dueOn}.`);

    mark = await count();
    await answerInformationRequest(ctx, A.principal, a.id, request.id, {
      answer: 'The cyber unit of the federal police.',
      documentIds: [],
    });
    rows = await messagesSince(mark);
    expect(emails(rows)).toEqual([`application.information_provided -> ${officer2.email}`]);

    // The decision: the exporter is told the outcome with the link to the reasoned decision document.
    const version = (
      await ctx.db
        .selectFrom('applications')
        .select('version')
        .where('id', '=', a.id)
        .executeTakeFirstOrThrow()
    ).version;
    // A refused decision (no reasons) writes no message: the outbox shares the decision's transaction.
    mark = await count();
    await expect(
      decideApplication(
        ctx,
        world.officer.principal,
        a.id,
        { ...GRANT, reasons: [], expectedVersion: version },
        {
          providers,
        },
      ),
    ).rejects.toBeTruthy();
    expect(await messagesSince(mark)).toEqual([]);
    const decision = await decideApplication(
      ctx,
      world.officer.principal,
      a.id,
      { ...GRANT, expectedVersion: version },
      { providers },
    );
    rows = await messagesSince(mark);
    expect(emails(rows)).toEqual([`application.granted_with_conditions -> ${A.email}`]);
    const decided = rows.find((r) => r.kind === 'email')!.payload;
    expect(decided.subject).toBe(`Application ${a.reference}: granted with conditions`);
    expect(decided.text).toContain(decision.reference!);
    expect(decided.text).toContain(decision.licence!.licenceNumber);
    expect(decided.text).toContain(
      `https://custos.authority.test/api/applications/${a.id}/decision/document?format=pdf`,
    );
    const webhook = rows.find((r) => r.kind === 'webhook')!;
    expect(webhook).toMatchObject({ event: 'application.granted_with_conditions', recipient: hook.url });
    expect(webhook.payload).toMatchObject({ applicationId: a.id, decisionId: decision.id });

    // Licence suspended: the exporter, and the case officer with what to do (member states, customs).
    const licence = decision.licence!;
    mark = await count();
    const suspended = await transitionLicence(ctx, world.officer.principal, licence.id, {
      to: 'suspended',
      reason: 'Credible report of misuse.',
      memberStatesNotified: true,
      expectedVersion: licence.version,
    });
    rows = await messagesSince(mark);
    expect(emails(rows)).toEqual([
      `licence.suspended -> ${A.email}`,
      `licence.suspended -> ${officer2.email}`,
    ]);
    const toOfficer = rows.find((r) => r.recipient === officer2.email)!.payload;
    expect(toOfficer.text).toContain('Notify the other Member States and the Commission');
    expect(toOfficer.text).toContain('Inform the customs authorities.');
    const toExporter = rows.find((r) => r.recipient === A.email)!.payload;
    expect(toExporter.text).toContain('Reason: Credible report of misuse.');
    expect(toExporter.text).not.toContain('customs');

    // Expiry (the system job): the exporter is told.
    mark = await count();
    clock = new Date(`${licence.validUntil}T09:00:00Z`);
    clock = new Date(clock.getTime() + 2 * 86_400_000);
    const expired = await expireLicences(ctx);
    expect(expired.expired).toContain(suspended.id);
    rows = await messagesSince(mark);
    expect(emails(rows)).toEqual([`licence.expired -> ${A.email}`]);

    // Access control and confidentiality: nothing about B went to A, nothing about A went to B; no confidential
    // item description (makeApplication's) is in any e-mail.
    const all = await messagesSince(new Set());
    for (const m of all.filter((r) => r.kind === 'email')) {
      const text = `${m.payload.subject}\n${m.payload.text}`;
      expect(text).not.toContain('X-900');
      if (m.recipient === A.email) {
        expect(text).not.toContain(b.reference);
        expect(text).not.toContain(b.id);
        expect(text).not.toContain('Beta Analytics');
      }
      if (m.recipient === world.exporterB.email) {
        expect(text).not.toContain(a.reference);
        expect(text).not.toContain(a.id);
      }
    }
    expect(all.filter((r) => r.recipient === world.exporterB.email).map((r) => r.event)).toEqual([
      'application.submitted',
    ]);
    expect(all.some((r) => r.recipient === world.admin.email)).toBe(false);

    // Delivered over SMTP: one e-mail per message.
    const worker = createWorker({
      db: database.db,
      workerId: 'notify',
      handlers: jobHandlers(ctx),
      batch: 20,
    });
    await worker.drain();
    const toA = sink.mails.filter((m) => m.to.includes(A.email));
    expect(toA).toHaveLength(all.filter((r) => r.kind === 'email' && r.recipient === A.email).length);
    expect(
      toA.some((m) => m.raw.includes(`Subject: Application ${a.reference}: granted with conditions`)),
    ).toBe(true);
  });

  it('a denial: the exporter is told with the link; Art 16 consultation events go to the case officer', async () => {
    clock = new Date('2027-03-01T09:00:00Z');
    const a = await caseInAssessment(world.exporterA.principal);
    const denial = await createDenial(ctx, world.officer.principal, {
      origin: 'received',
      notifyingMemberState: 'FR',
      reference: 'FR-2026-0042',
      deniedOn: '2026-06-01',
      controlEntries: ['5A001.f.1'],
      itemDescription: 'IMSI catcher',
      destinationCountry: 'AE',
      parties: [{ role: 'end_user', name: 'Ministry of Interior', country: 'AE' }],
      reason: 'Risk of internal repression.',
    });
    let mark = await count();
    const c = await openApplicationConsultation(ctx, world.officer.principal, a.id, { denialId: denial.id });
    let rows = await messagesSince(mark);
    expect(emails(rows)).toEqual(
      [world.officer.email, officer2.email].map((o) => `denial_consultation.opened -> ${o}`).sort(),
    );
    expect(rows[0]!.payload.text).toContain(`Reply due on ${c.replyDueOn}.`);
    mark = await count();
    await updateApplicationConsultation(ctx, world.officer.principal, c.id, {
      action: 'answer',
      considersIdentical: false,
      answer: 'France regards the transaction as different.',
      version: 1,
    });
    rows = await messagesSince(mark);
    expect(emails(rows)).toEqual(
      [world.officer.email, officer2.email].map((o) => `denial_consultation.answered -> ${o}`).sort(),
    );
    expect(rows.some((r) => r.recipient === world.exporterA.email)).toBe(false);

    const version = (
      await ctx.db
        .selectFrom('applications')
        .select('version')
        .where('id', '=', a.id)
        .executeTakeFirstOrThrow()
    ).version;
    mark = await count();
    await decideApplication(
      ctx,
      world.officer.principal,
      a.id,
      {
        outcome: 'denied',
        legalBasis: GRANT.legalBasis,
        criteria: [],
        rightsEngaged: [],
        reasons: ['A clear risk of internal repression.'],
        evidence: [],
        expectedVersion: version,
      },
      { providers },
    );
    rows = await messagesSince(mark);
    // notify_member_states_and_commission goes to the officers (no contact registry of the other Member States).
    expect(emails(rows)).toEqual(
      [
        `application.denied -> ${world.exporterA.email}`,
        `application.denied -> ${world.officer.email}`,
        `application.denied -> ${officer2.email}`,
      ].sort(),
    );
    const toExporter = rows.find((r) => r.recipient === world.exporterA.email)!.payload;
    expect(toExporter.subject).toBe(`Application ${a.reference}: denied`);
    expect(toExporter.text).toContain(`/api/applications/${a.id}/decision/document?format=pdf`);
    expect(toExporter.text).not.toContain('Notify the other Member States');
  });
});

describe('deadline reminders', () => {
  it('announces each open deadline once, within the lead time, to the audience of its `who`', async () => {
    clock = new Date('2027-04-01T09:00:00Z'); // Thursday
    const a = await caseInAssessment(world.exporterA.principal);
    const request = await requestInformation(ctx, world.officer.principal, a.id, {
      questions: ['Send the end-user certificate.'],
      workingDays: 10,
      expectedVersion: a.version,
    });
    // Well before the lead time: nothing about this case.
    const aboutA = (rows: Row[]) =>
      rows.filter((r) => (r.payload.text ?? '').includes(a.reference) || r.payload.applicationId === a.id);
    let mark = await count();
    await sendDeadlineReminders(ctx);
    expect(aboutA(await messagesSince(mark))).toEqual([]);
    // Two working days before the due date: the exporter is reminded, once.
    const due = new Date(`${request.dueOn}T09:00:00Z`);
    clock = new Date(due.getTime() - 2 * 86_400_000);
    mark = await count();
    const first = await sendDeadlineReminders(ctx);
    const rows = aboutA(await messagesSince(mark));
    expect(emails(rows)).toEqual([`deadline.approaching -> ${world.exporterA.email}`]);
    expect(rows.find((r) => r.kind === 'email')!.payload.text).toContain(request.dueOn);
    expect(first.reminded.length).toBeGreaterThan(0);
    mark = await count();
    const again = await sendDeadlineReminders(ctx);
    expect(again.reminded).toEqual([]);
    expect(await messagesSince(mark)).toEqual([]);
  });
});

describe('recurring jobs', () => {
  it('each recurring queue has exactly one pending run; each run queues the next', async () => {
    await ctx.db.deleteFrom('jobs').where('dedupe_key', '=', RECURRING_KEY).execute();
    clock = new Date('2027-05-03T02:00:00Z');
    const queues = recurringJobs().map((j) => j.queue);
    expect(queues).toEqual(
      expect.arrayContaining([EXPIRE_LICENCES_QUEUE, DEADLINE_REMINDERS_QUEUE, PUBLICATION_SCHEDULE_QUEUE]),
    );
    // Two processes starting: one pending run per queue, due now.
    await scheduleRecurringJobs(ctx);
    await scheduleRecurringJobs(ctx);
    const pending = async (queue: string) =>
      ctx.db
        .selectFrom('jobs')
        .select(['id', 'run_at', 'status'])
        .where('queue', '=', queue)
        .where('status', 'in', ['pending', 'failed'])
        .execute();
    for (const q of queues) {
      const p = await pending(q);
      expect(p).toHaveLength(1);
      expect(new Date(p[0]!.run_at).toISOString()).toBe(clock.toISOString());
    }

    // The daily expiry run: claimed on the injected clock, it queues the next run 24 h later and does its work.
    const handlers = jobHandlers(ctx);
    const [job] = await claimJobs(ctx.db, 'clock-worker', [EXPIRE_LICENCES_QUEUE], { now: clock });
    expect(job).toBeDefined();
    await handlers[EXPIRE_LICENCES_QUEUE]!(job!.payload, job!);
    await completeJob(ctx.db, job!.id, 'clock-worker', clock);
    let next = await pending(EXPIRE_LICENCES_QUEUE);
    expect(next).toHaveLength(1);
    expect(new Date(next[0]!.run_at).toISOString()).toBe('2027-05-04T02:00:00.000Z');
    // Nothing else is due before then; a restart does not add a second run.
    expect(await claimJobs(ctx.db, 'clock-worker', [EXPIRE_LICENCES_QUEUE], { now: clock })).toEqual([]);
    await scheduleRecurringJobs(ctx);
    expect(await pending(EXPIRE_LICENCES_QUEUE)).toHaveLength(1);

    // A failing run still leaves its successor queued (the chain never breaks), and its retry adds none.
    clock = new Date('2027-05-04T02:00:00Z');
    const [run2] = await claimJobs(ctx.db, 'clock-worker', [EXPIRE_LICENCES_QUEUE], { now: clock });
    const failing = withRecurrence(
      ctx.db,
      recurringJobs().find((j) => j.queue === EXPIRE_LICENCES_QUEUE)!,
      () => clock,
      async () => {
        throw new Error('boom');
      },
    );
    await expect(failing(run2!.payload, run2!)).rejects.toThrow('boom');
    await expect(failing(run2!.payload, run2!)).rejects.toThrow('boom');
    next = await pending(EXPIRE_LICENCES_QUEUE);
    expect(next.map((n) => new Date(n.run_at).toISOString())).toEqual(['2027-05-05T02:00:00.000Z']);

    const listed = await listRecurringRuns(ctx.db, recurringJobs());
    expect(listed.find((l) => l.queue === EXPIRE_LICENCES_QUEUE)!.nextRunAt).toBe('2027-05-05T02:00:00.000Z');
    expect(listed.every((l) => l.nextRunAt !== null)).toBe(true);
  });
});

describe("e-mails in the reader's language", () => {
  it('writes each recipient the message in their chosen language, one message per language, English by default', async () => {
    const A = world.exporterA;
    const french = await createUser(ctx, systemPrincipal('test'), {
      organisationId: A.organisationId,
      email: 'francophone-notify@example.test',
      displayName: 'Utilisatrice francophone',
      role: 'exporter',
      password: TEST_PASSWORD,
      language: 'fr',
    });
    expect(french.language).toBe('fr');
    await setOwnPreferences(ctx, officer2.principal, { language: 'fr' });
    try {
      const mark = await count();
      const a = await caseInAssessment(A.principal);
      const sent = (await messagesSince(mark)).filter((r) => r.kind === 'email');
      const to = (email: string) => sent.find((r) => r.recipient === email)!.payload;
      // Exporter: A (no choice) in English, the French user in French; officers likewise.
      expect(to(A.email).subject).toBe(`Application ${a.reference} submitted`);
      expect(to(french.email).subject).toBe(`Demande ${a.reference} transmise`);
      expect(to(french.email).text).toContain('en tant qu’utilisateur de l’organisation exportatrice');
      expect(to(world.officer.email).subject).toBe(`Application ${a.reference} submitted`);
      expect(to(officer2.email).subject).toBe(`Demande ${a.reference} transmise`);
      expect(to(officer2.email).text).toContain('en tant qu’agent instructeur');
      // Each recipient once; recipients of one audience and language share one worded message.
      expect(sent.map((r) => r.recipient).sort()).toEqual(
        [A.email, french.email, world.officer.email, officer2.email].sort(),
      );
      // A language chosen again changes nothing; null forgets the choice.
      const before = await ctx.db.selectFrom('audit_events').select('id').execute();
      await setOwnPreferences(ctx, officer2.principal, { language: 'fr' });
      expect(await ctx.db.selectFrom('audit_events').select('id').execute()).toHaveLength(before.length);
    } finally {
      expect((await setOwnPreferences(ctx, officer2.principal, { language: null })).language).toBeNull();
    }
  });

  it('refuses a language Custos does not speak, and changes nothing', async () => {
    await expect(
      setOwnPreferences(ctx, world.exporterA.principal, { language: 'de' as never }),
    ).rejects.toMatchObject({ code: 'INVALID' });
    const row = await ctx.db
      .selectFrom('users')
      .select('language')
      .where('id', '=', world.exporterA.userId)
      .executeTakeFirstOrThrow();
    expect(row.language).toBeNull();
    await expect(setOwnPreferences(ctx, PUBLIC, { language: 'fr' })).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });
});
