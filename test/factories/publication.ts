/**
 * Decided applications for publication tests, written the way the workflow leaves them (status, dates, decision,
 * classification snapshot on each line), with an optional canary marker planted in every confidential field.
 */
import { randomUUID } from 'node:crypto';
import type { Principal } from '../../src/domain/model.ts';
import { submitApplication } from '../../src/services/applications.service.ts';
import type { ServiceContext } from '../../src/services/context.ts';
import { makeApplication, type World } from './world.ts';

export interface DecidedOptions {
  submittedAt: string;
  decidedAt: string | null;
  outcome: 'granted' | 'granted_with_conditions' | 'denied' | 'withdrawn' | 'in_assessment';
  destination?: string;
  matchedEntries?: string[];
  cyberSurveillance?: boolean;
  valueEur?: number;
  /** Plants `${canary}<field>` in every confidential field of this application. */
  canary?: string;
  consulted?: boolean;
}

/** Every confidential field a canary is planted in (the suffix after the marker). */
export const CANARY_FIELDS = [
  'itemName',
  'itemConfidential',
  'itemPublicText',
  'consigneeName',
  'endUserName',
  'personName',
  'personAlias',
  'address',
  'endUse',
  'decisionReasons',
  'decisionConditions',
  'transitionNote',
] as const;

export async function makeDecidedApplication(
  ctx: ServiceContext,
  exporter: Principal,
  o: DecidedOptions,
): Promise<{ id: string; reference: string }> {
  const c = o.canary;
  const { app, item, consignee, endUser } = await makeApplication(ctx, exporter, {
    destinationCountry: o.destination ?? 'AE',
    intendedEndUse: c ? `${c}endUse: surveillance of named journalists` : 'Lawful interception',
  });
  const db = ctx.db;
  if (o.valueEur !== undefined) {
    await db
      .updateTable('application_lines')
      .set({ value_eur: o.valueEur })
      .where('application_id', '=', app.id)
      .execute();
  }
  if (c) {
    await db
      .updateTable('items')
      .set({
        name: `${c}itemName`,
        confidential_description: `${c}itemConfidential model X`,
        public_description: `${c}itemPublicText`,
      })
      .where('id', '=', item.id)
      .execute();
    await db
      .updateTable('parties')
      .set({ name: `${c}consigneeName LLC`, address: `${c}address 1` })
      .where('id', '=', consignee.id)
      .execute();
    await db
      .updateTable('parties')
      .set({ name: `${c}endUserName Ministry`, address: `${c}address 2` })
      .where('id', '=', endUser.id)
      .execute();
    const personId = randomUUID();
    await db
      .insertInto('parties')
      .values({
        id: personId,
        organisation_id: app.organisationId,
        name: `${c}personName Jane Doe`,
        aliases: JSON.stringify([`${c}personAlias`]),
        country: 'AE',
        address: `${c}address 3`,
        party_type: 'individual',
      })
      .execute();
    await db
      .insertInto('application_parties')
      .values({ application_id: app.id, party_id: personId, role: 'ultimate_end_user' })
      .execute();
  }
  const submitted = await submitApplication(ctx, exporter, app.id, { version: app.version });
  const decided = o.outcome !== 'in_assessment';
  await db
    .updateTable('applications')
    .set({
      status: o.outcome,
      submitted_at: o.submittedAt,
      decided_at: decided ? o.decidedAt : null,
      updated_at: new Date(o.decidedAt ?? o.submittedAt),
    })
    .where('id', '=', app.id)
    .execute();
  await db
    .updateTable('application_lines')
    .set({
      classification: JSON.stringify({
        matchedEntries: o.matchedEntries ?? ['5A001.f.2'],
        cyberSurveillance: o.cyberSurveillance ?? true,
        listing: 'listed',
      }),
    })
    .where('application_id', '=', app.id)
    .execute();
  if (o.consulted || c) {
    await db
      .insertInto('application_transitions')
      .values({
        application_id: app.id,
        from_status: 'in_assessment',
        to_status: 'in_consultation',
        at: o.submittedAt,
        reason: c ? `${c}transitionNote internal` : 'consultation',
      })
      .execute();
  }
  if (['granted', 'granted_with_conditions', 'denied'].includes(o.outcome)) {
    await db
      .insertInto('decisions')
      .values({
        id: randomUUID(),
        application_id: app.id,
        outcome: o.outcome,
        legal_basis: JSON.stringify(['art12']),
        reasons: c ? `${c}decisionReasons internal reasoning` : 'Assessed.',
        conditions: JSON.stringify(c ? [`${c}decisionConditions`] : []),
        criteria: JSON.stringify([
          { criterion: 'cp2008-944.criterion2', finding: c ? `${c}decisionReasons` : 'ok' },
        ]),
        decided_at: o.decidedAt!,
      })
      .execute();
  }
  return { id: app.id, reference: submitted.reference };
}

/** Publishes a 2025-Q4 report of one decided application (for route tests); returns what the routes address. */
export async function publishMatrixReport(
  ctx: ServiceContext,
  world: World,
): Promise<{ reference: string; authorityId: string; draftId: string }> {
  const { createReportDraft, reviewReportDraft, publishReportDraft, authorityOf } =
    await import('../../src/services/publication.service.ts');
  const made = await makeDecidedApplication(ctx, world.exporterA.principal, {
    submittedAt: '2025-10-01T09:00:00Z',
    decidedAt: '2025-11-01T09:00:00Z',
    outcome: 'granted',
  });
  const draft = await createReportDraft(ctx, world.officer.principal, { period: '2025-Q4' });
  await reviewReportDraft(ctx, world.admin.principal, draft.id, {
    decision: 'approve',
    version: draft.version,
  });
  await publishReportDraft(ctx, world.admin.principal, draft.id, {});
  return { reference: made.reference, authorityId: authorityOf(ctx).id, draftId: draft.id };
}
