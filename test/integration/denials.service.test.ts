/** Denials (Art 16) on a real database: register, exchange file refused whole, check, consultation, notification. */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.ts';
import type { DenialRecord } from '../../src/domain/workflow.ts';
import { exportDenials, parseDenialExchange } from '../../src/engines/workflow/index.ts';
import { createServiceContext, type ServiceContext } from '../../src/services/context.ts';
import {
  changeDenialStatus,
  checkApplicationAgainstDenials,
  createDenial,
  denialGuardFacts,
  exportDenialRegister,
  getApplicationDenialView,
  importDenialExchange,
  listDenials,
  openApplicationConsultation,
  recordDenialFromDecision,
  recordDenialOverrideNotification,
  updateApplicationConsultation,
} from '../../src/services/denials.service.ts';
import { makeApplication, makeWorld, type World } from '../factories/world.ts';
import { testConfig } from '../support/config.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let database: TestDatabase;
let ctx: ServiceContext;
let world: World;
let clock = new Date('2026-03-02T09:00:00Z');

/** A denial France notified: same end user as makeApplication's (Ministry of Interior, AE), interception kit. */
const frDenial: DenialRecord = {
  id: 'FR-2025-017',
  origin: 'own',
  kind: 'refusal',
  notifyingMemberState: 'FR',
  reference: 'SBDU-2025-017',
  deniedOn: '2025-06-10',
  controlEntries: ['5A001.f'],
  itemDescription: 'Mobile network interception equipment (IMSI catcher)',
  endUse: 'Monitoring of protesters',
  destinationCountry: 'AE',
  parties: [
    {
      role: 'end_user',
      name: 'Ministry of Interior',
      address: 'Abu Dhabi',
      country: 'AE',
      partyType: 'police',
    },
  ],
  reason: 'Criterion 2: risk of internal repression',
  status: 'in_force',
  reviewDueOn: '2028-06-10',
};
const frFile = () =>
  exportDenials([frDenial], {
    exportedAt: '2026-02-27T08:00:00Z',
    exportingAuthority: { memberState: 'FR', name: 'SBDU' },
  });

async function counts() {
  const n = async (t: 'denials' | 'denial_imports') =>
    Number(
      (
        await ctx.db
          .selectFrom(t)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return { denials: await n('denials'), imports: await n('denial_imports') };
}

async function classifiedApplication(entries: string[]) {
  const made = await makeApplication(ctx, world.exporterA.principal);
  await ctx.db
    .updateTable('items')
    .set({ classification: JSON.stringify({ matchedEntries: entries }) })
    .where('id', '=', made.item.id)
    .execute();
  return made;
}

beforeAll(async () => {
  database = await createTestDatabase();
  ctx = createServiceContext(database.db, testConfig(), { now: () => clock });
  world = await makeWorld(ctx, 'denials');
});
afterAll(async () => {
  await database.close();
});

describe('exchange file', () => {
  it('refuses a file with a bad checksum whole, changing nothing', async () => {
    const before = await counts();
    const doc = JSON.parse(frFile()) as { denials: { reason: string }[] };
    doc.denials[0]!.reason = 'tampered';
    const err = await importDenialExchange(ctx, world.officer.principal, JSON.stringify(doc)).catch((e) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('INVALID');
    expect((err as DomainError).message).toMatch(/checksum/);
    expect(await counts()).toEqual(before);
  });

  it('refuses a file with one bad record whole (schema), changing nothing', async () => {
    const before = await counts();
    const good = { ...frDenial, id: 'ok', reference: 'SBDU-OK' };
    const bad = { ...frDenial, id: 'bad', reference: 'SBDU-BAD', destinationCountry: 'xx' };
    const text = exportDenials([good], {
      exportedAt: '2026-02-27T08:00:00Z',
      exportingAuthority: { memberState: 'FR', name: 'SBDU' },
    }).replace('"denials": [', `"denials": [${JSON.stringify(bad)},`);
    const err = await importDenialExchange(ctx, world.officer.principal, text).catch((e) => e);
    expect((err as DomainError).code).toBe('INVALID');
    expect((err as DomainError).issues?.some((i) => i.path.startsWith('denials.0.destinationCountry'))).toBe(
      true,
    );
    expect(await counts()).toEqual(before);
  });

  it("refuses a file carrying this authority's own Member State's denials", async () => {
    const text = exportDenials([{ ...frDenial, notifyingMemberState: 'DE' }], {
      exportedAt: '2026-02-27T08:00:00Z',
      exportingAuthority: { memberState: 'FR', name: 'SBDU' },
    });
    await expect(importDenialExchange(ctx, world.officer.principal, text)).rejects.toMatchObject({
      code: 'INVALID',
    });
  });

  it('is staff-only', async () => {
    await expect(importDenialExchange(ctx, world.exporterA.principal, frFile())).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(listDenials(ctx, world.exporterA.principal)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('imports a good file as received denials; a second import updates, not duplicates', async () => {
    const r = await importDenialExchange(ctx, world.officer.principal, frFile());
    expect(r).toMatchObject({
      denials: 1,
      created: 1,
      updated: 0,
      exportingAuthority: { memberState: 'FR' },
    });
    const again = await importDenialExchange(ctx, world.officer.principal, frFile());
    expect(again).toMatchObject({ created: 0, updated: 1 });
    const list = await listDenials(ctx, world.officer.principal, { origin: 'received' });
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      notifyingMemberState: 'FR',
      reference: 'SBDU-2025-017',
      status: 'in_force',
    });
  });
});

describe('an application matching a denial received from France', () => {
  it('forces a consultation, then a notification when granting despite it', async () => {
    const { app } = await classifiedApplication(['5A001.f.1']);
    const trxFacts = () => ctx.db.transaction().execute((trx) => denialGuardFacts(ctx, trx, app.id));
    expect(await trxFacts()).toMatchObject({ essentially_identical_check_done: false });

    await expect(
      checkApplicationAgainstDenials(ctx, world.exporterA.principal, app.id),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    const check = await checkApplicationAgainstDenials(ctx, world.officer.principal, app.id);
    expect(check.matches).toHaveLength(1);
    const match = check.matches[0]!;
    expect(match).toMatchObject({
      strength: 'essentially_identical',
      consultationRequired: true,
      origin: 'received',
    });
    expect(match.reasons.join(' ')).toMatch(/Consult FR/);
    expect(await trxFacts()).toEqual({
      essentially_identical_check_done: true,
      all_consultations_closed: false,
      // until France answers, the match counts as essentially identical (conservative)
      denial_override_notified: false,
    });

    // Monday 2 March 2026 + 10 working days (DE calendar) = Monday 16 March.
    const c = await openApplicationConsultation(ctx, world.officer.principal, app.id, {
      denialId: match.denialId,
    });
    expect(c).toMatchObject({ consultedMemberState: 'FR', replyDueOn: '2026-03-16', status: 'open' });
    await expect(
      openApplicationConsultation(ctx, world.officer.principal, app.id, { denialId: match.denialId }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(
      updateApplicationConsultation(ctx, world.officer.principal, c.id, {
        action: 'extend',
        extraWorkingDays: 31,
        version: 1,
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });

    const answered = await updateApplicationConsultation(ctx, world.officer.principal, c.id, {
      action: 'answer',
      considersIdentical: true,
      answer: 'France regards the transaction as essentially identical.',
      version: 1,
    });
    expect(answered.assessment).toMatchObject({ closed: true, considersIdentical: true });
    expect(await trxFacts()).toEqual({
      essentially_identical_check_done: true,
      all_consultations_closed: true,
      denial_override_notified: false,
    });
    const view = await getApplicationDenialView(ctx, world.officer.principal, app.id);
    expect(view.notificationRequired).toBe(true);
    expect(view.reasons.join(' ')).toMatch(/notifying the other Member States and the Commission/);

    await expect(
      recordDenialOverrideNotification(ctx, world.officer.principal, app.id, {
        denialIds: [match.denialId],
        recipients: ['FR'],
        explanation: 'Grant with conditions.',
      }),
    ).rejects.toMatchObject({ code: 'INVALID' });
    await recordDenialOverrideNotification(ctx, world.officer.principal, app.id, {
      denialIds: [match.denialId],
      recipients: ['FR', 'EU'],
      explanation: 'Granted: the end user changed its unit and accepts on-site checks.',
    });
    expect(await trxFacts()).toMatchObject({ denial_override_notified: true });
    const audit = await ctx.db
      .selectFrom('audit_events')
      .select('action')
      .where('entity_id', '=', app.id)
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'application.denial_check',
        'denial_consultation.opened',
        'denial_consultation.answered',
        'denial.override_notified',
      ]),
    );
  });

  it('treats silence after the deadline as not essentially identical (Art 16(2))', async () => {
    const { app } = await classifiedApplication(['5A001.f.1']);
    const check = await checkApplicationAgainstDenials(ctx, world.officer.principal, app.id);
    await openApplicationConsultation(ctx, world.officer.principal, app.id, {
      denialId: check.matches[0]!.denialId,
    });
    const saved = clock;
    try {
      clock = new Date('2026-03-17T09:00:00Z');
      const facts = await ctx.db.transaction().execute((trx) => denialGuardFacts(ctx, trx, app.id));
      expect(facts).toEqual({
        essentially_identical_check_done: true,
        all_consultations_closed: true,
        denial_override_notified: true,
      });
    } finally {
      clock = saved;
    }
  });

  it('no longer matches once the denial is revoked', async () => {
    const [d] = await listDenials(ctx, world.officer.principal, { origin: 'received' });
    await changeDenialStatus(ctx, world.officer.principal, d!.id, {
      status: 'revoked',
      reason: 'France revoked it after review',
      version: d!.version,
    });
    await expect(
      changeDenialStatus(ctx, world.officer.principal, d!.id, {
        status: 'expired',
        reason: 'x',
        version: d!.version,
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    const { app } = await classifiedApplication(['5A001.f.1']);
    const check = await checkApplicationAgainstDenials(ctx, world.officer.principal, app.id);
    expect(check.matches).toEqual([]);
    await changeDenialStatus(ctx, world.officer.principal, d!.id, {
      status: 'expired',
      reason: 'keep it not in force',
      version: d!.version + 1,
    });
  });
});

describe("the authority's own denials", () => {
  it('records a denial from a decision, once, and exports it in the exchange format', async () => {
    const { app } = await classifiedApplication(['5A001.j']);
    const decisionId = ctx.newId();
    await ctx.db
      .insertInto('decisions')
      .values({
        id: decisionId,
        application_id: app.id,
        outcome: 'denied',
        reasons: 'Clear risk of use in internal repression (Art 15(1), Common Position criterion 2).',
        decided_at: '2026-03-02T09:00:00Z',
        legal_basis: '[]',
        conditions: '[]',
        criteria: '[]',
        rights_engaged: '[]',
        evidence: '[]',
        reasons_list: '[]',
      })
      .execute();
    const d = await ctx.db
      .transaction()
      .execute((trx) => recordDenialFromDecision(ctx, trx, app.id, decisionId));
    expect(d).toMatchObject({
      origin: 'own',
      notifyingMemberState: 'DE',
      reference: app.reference,
      controlEntries: ['5A001.j'],
      reviewDueOn: '2029-03-02',
      status: 'in_force',
      decisionId,
    });
    expect(d.parties.map((p) => p.role).sort()).toEqual(['consignee', 'end_user']);
    const again = await ctx.db
      .transaction()
      .execute((trx) => recordDenialFromDecision(ctx, trx, app.id, decisionId));
    expect(again.id).toBe(d.id);

    const granted = ctx.newId();
    await ctx.db
      .insertInto('decisions')
      .values({
        id: granted,
        application_id: app.id,
        outcome: 'granted',
        reasons: 'ok',
        decided_at: '2026-03-02T09:00:00Z',
        legal_basis: '[]',
        conditions: '[]',
        criteria: '[]',
        rights_engaged: '[]',
        evidence: '[]',
        reasons_list: '[]',
      })
      .execute();
    await expect(
      ctx.db.transaction().execute((trx) => recordDenialFromDecision(ctx, trx, app.id, granted)),
    ).rejects.toMatchObject({ code: 'CONFLICT' });

    const { text, count } = await exportDenialRegister(ctx, world.officer.principal);
    expect(count).toBe(1);
    const parsed = parseDenialExchange(text);
    expect(parsed.exportingAuthority.memberState).toBe('DE');
    expect(parsed.denials[0]).toMatchObject({ reference: app.reference, status: 'in_force' });
    const all = parseDenialExchange(
      (await exportDenialRegister(ctx, world.admin.principal, { includeReceived: true })).text,
    );
    expect(all.denials).toHaveLength(2);
    // expired is exported as not in force
    expect(all.denials.find((x) => x.notifyingMemberState === 'FR')).toMatchObject({ status: 'revoked' });
  });

  it('registers an own denial by hand; a duplicate reference is refused', async () => {
    const input = {
      origin: 'own' as const,
      reference: 'MANUAL-1',
      deniedOn: '2025-01-15',
      itemDescription: 'Spyware platform',
      destinationCountry: 'EG',
      parties: [{ role: 'end_user' as const, name: 'General Intelligence', country: 'EG' }],
      reason: 'Criterion 2',
    };
    const d = await createDenial(ctx, world.officer.principal, input);
    expect(d).toMatchObject({ notifyingMemberState: 'DE', reviewDueOn: '2028-01-15' });
    await expect(createDenial(ctx, world.officer.principal, input)).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(
      createDenial(ctx, world.officer.principal, { ...input, origin: 'received', reference: 'X' }),
    ).rejects.toMatchObject({ code: 'INVALID' });
    const rows = await sql<{
      n: number;
    }>`select count(*)::int as n from denials where reference = 'MANUAL-1'`.execute(ctx.db);
    expect(rows.rows[0]!.n).toBe(1);
  });
});
