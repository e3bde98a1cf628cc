/** Seeds (and removes) deterministic synthetic demo data: batched inserts, one transaction per batch. */
import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import { conflict, invalid } from '../domain/errors.ts';
import { OPEN_STATUSES } from '../domain/model.ts';
import type { CaseDeadlinesTable, DB } from '../db/schema.ts';
import { addWorkingDays } from '../engines/workflow/index.ts';
import { PROCESSING_CLOCK } from './casework/lifecycle.ts';
import { lifecyclePolicy, workingCalendar } from './casework/policy.ts';
import type { ServiceContext } from './context.ts';
import {
  buildSyntheticWorld,
  defaultExporterCount,
  deriveSyntheticOrganisationId,
  generateSyntheticApplications,
  type SyntheticApplication,
  type SyntheticWorld,
} from '../engines/synthetic/synthetic-generator.ts';
import { SYNTHETIC_REFERENCE_PREFIX } from '../engines/synthetic/synthetic-catalogue.ts';

export interface SeedDemoDataOptions {
  applications: number;
  seed: number;
  /** The "now" of the synthetic world: applications are spread from 2023-01-01 up to this date. */
  referenceDate: Date;
  /** Number of exporters; default about the square root of `applications` (5 to 1,000). */
  exporters?: number;
  /** Called after each committed batch with the applications written so far. */
  onProgress?: (done: number, total: number) => void;
  /** Applications per transaction (default 1,000, i.e. about 11,000 rows across the tables). */
  batchSize?: number;
  /**
   * Classifies the catalogue once it is written, before any application: gives each item's classification (stored
   * JSON text) by item id. The lines of applications that left the draft state then carry their item's
   * classification as they are inserted (the snapshot a real submission keeps), instead of being updated
   * afterwards (a second write of every line, and a second refresh of every report source). Drafts' lines keep none.
   */
  classifyCatalogue?: () => Promise<ReadonlyMap<string, string>>;
}

export interface SeedDemoDataCounts {
  organisations: number;
  items: number;
  parties: number;
  applications: number;
  applicationLines: number;
  applicationParties: number;
  applicationTransitions: number;
  decisions: number;
  licences: number;
  /** Applications by their current status. */
  byStatus: Record<string, number>;
  /** Items classified by `classifyCatalogue`, and lines inserted with their item's classification (0 without it). */
  classifiedItems: number;
  classifiedLines: number;
}

export interface SeedDemoDataResult {
  organisationIds: string[];
  counts: SeedDemoDataCounts;
}

/** The PostgreSQL type of each column this service writes, for `unnest($1::type[], ...)`. */
const COLUMN_TYPES: Readonly<Record<string, string>> = {
  id: 'uuid',
  organisation_id: 'uuid',
  application_id: 'uuid',
  item_id: 'uuid',
  party_id: 'uuid',
  created_by: 'uuid',
  actor_id: 'uuid',
  decided_by: 'uuid',
  synthetic: 'boolean',
  line_no: 'integer',
  quantity: 'numeric',
  value: 'numeric',
  value_eur: 'numeric',
  total_value_eur: 'numeric',
  technical_profile: 'jsonb',
  aliases: 'jsonb',
  legal_basis: 'jsonb',
  conditions: 'jsonb',
  criteria: 'jsonb',
  classification: 'jsonb',
  created_at: 'timestamptz',
  updated_at: 'timestamptz',
  submitted_at: 'timestamptz',
  decided_at: 'timestamptz',
  at: 'timestamptz',
  valid_from: 'date',
  valid_until: 'date',
  country: 'text',
  destination_country: 'text',
  currency: 'text',
};

type Cell = string | number | boolean | null;

/**
 * Insert many rows with one statement: each column travels as one array parameter and `unnest` turns the
 * arrays back into rows. A handful of bind parameters whatever the batch size (far below PostgreSQL's 65,535),
 * and on PGlite about three times faster than a multi-row VALUES list (measured while building this).
 */
async function insertRows(
  trx: Transaction<DB>,
  table: keyof DB,
  rows: Record<string, Cell>[],
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  const arrays = columns.map((c) => rows.map((r) => r[c] ?? null));
  const casts = columns.map((c, k) => sql`${arrays[k]}::${sql.raw(COLUMN_TYPES[c] ?? 'text')}[]`);
  await sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))})
    select * from unnest(${sql.join(casts)})`.execute(trx);
}

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

/**
 * Refuse when synthetic data is already present: the same seed would collide on ids, another seed on the
 * `SYN-<year>-<n>` references. One synthetic data set per database; `removeDemoData` clears it.
 */
async function assertNoSyntheticData(db: Kysely<DB>, seed: number): Promise<void> {
  const sameSeed = await db
    .selectFrom('organisations')
    .select('id')
    .where('id', '=', deriveSyntheticOrganisationId(seed, 0))
    .executeTakeFirst();
  if (sameSeed) throw conflict(`Synthetic demo data with seed ${seed} is already present.`);
  const otherOrg = await db
    .selectFrom('organisations')
    .select('id')
    .where('synthetic', '=', true)
    .limit(1)
    .executeTakeFirst();
  const otherApp = await db
    .selectFrom('applications')
    .select('id')
    .where((eb) =>
      eb.or([eb('synthetic', '=', true), eb('reference', 'like', `${SYNTHETIC_REFERENCE_PREFIX}-%`)]),
    )
    .limit(1)
    .executeTakeFirst();
  if (otherOrg || otherApp)
    throw conflict(
      'Synthetic demo data (from another seed) is already present; remove it before seeding again.',
    );
}

async function insertWorld(trx: Transaction<DB>, world: SyntheticWorld): Promise<void> {
  await insertRows(
    trx,
    'organisations',
    world.exporters.map((e) => ({
      id: e.id,
      kind: 'exporter',
      name: e.name,
      country: e.country,
      synthetic: true,
      created_at: iso(e.createdAt),
    })),
  );
  await insertRows(
    trx,
    'items',
    world.items.map((i) => ({
      id: i.id,
      organisation_id: i.organisationId,
      name: i.name,
      public_description: i.publicDescription,
      confidential_description: i.confidentialDescription,
      item_form: i.itemForm,
      technical_profile: JSON.stringify(i.technicalProfile),
      synthetic: true,
      created_at: iso(i.createdAt),
      updated_at: iso(i.createdAt),
    })),
  );
  await insertRows(
    trx,
    'parties',
    world.parties.map((p) => ({
      id: p.id,
      organisation_id: p.organisationId,
      name: p.name,
      aliases: JSON.stringify(p.aliases),
      country: p.country,
      address: p.address,
      party_type: p.partyType,
      synthetic: true,
      created_at: iso(p.createdAt),
      updated_at: iso(p.createdAt),
    })),
  );
}

async function insertApplications(
  trx: Transaction<DB>,
  batch: SyntheticApplication[],
  counts: SeedDemoDataCounts,
  classifications: ReadonlyMap<string, string>,
): Promise<void> {
  const lines: Record<string, Cell>[] = [];
  const parties: Record<string, Cell>[] = [];
  const transitions: Record<string, Cell>[] = [];
  const decisions: Record<string, Cell>[] = [];
  const licences: Record<string, Cell>[] = [];
  const applications = batch.map((a) => {
    for (const l of a.lines) {
      const classification = a.status === 'draft' ? undefined : classifications.get(l.itemId);
      if (classification !== undefined) counts.classifiedLines++;
      lines.push({
        application_id: a.id,
        line_no: l.lineNo,
        item_id: l.itemId,
        quantity: l.quantity,
        unit: l.unit,
        value: l.value,
        currency: l.currency,
        value_eur: l.valueEur,
        classification: classification ?? null,
      });
    }
    for (const p of a.parties) parties.push({ application_id: a.id, party_id: p.partyId, role: p.role });
    for (const t of a.transitions)
      transitions.push({
        application_id: a.id,
        from_status: t.fromStatus,
        to_status: t.toStatus,
        actor_id: null,
        at: iso(t.at),
        reason: t.reason,
      });
    if (a.decision)
      decisions.push({
        id: a.decision.id,
        application_id: a.id,
        outcome: a.decision.outcome,
        legal_basis: JSON.stringify(a.decision.legalBasis),
        reasons: a.decision.reasons,
        conditions: JSON.stringify(a.decision.conditions),
        criteria: JSON.stringify(a.decision.criteria),
        decided_by: null,
        decided_at: iso(a.decision.decidedAt),
        created_at: iso(a.decision.decidedAt),
      });
    if (a.licence)
      licences.push({
        id: a.licence.id,
        licence_number: a.licence.licenceNumber,
        application_id: a.id,
        organisation_id: a.organisationId,
        licence_type: a.licence.licenceType,
        status: a.licence.status,
        valid_from: a.licence.validFrom,
        valid_until: a.licence.validUntil,
        created_at: iso(a.decidedAt),
        updated_at: iso(a.decidedAt),
      });
    counts.byStatus[a.status] = (counts.byStatus[a.status] ?? 0) + 1;
    return {
      id: a.id,
      reference: a.reference,
      organisation_id: a.organisationId,
      created_by: null,
      licence_type: a.licenceType,
      destination_country: a.destinationCountry,
      intended_end_use: a.intendedEndUse,
      export_channel: a.exportChannel,
      status: a.status,
      submitted_at: iso(a.submittedAt),
      decided_at: iso(a.decidedAt),
      total_value_eur: a.totalValueEur,
      synthetic: true,
      created_at: iso(a.createdAt),
      updated_at: iso(a.updatedAt),
    };
  });
  await insertRows(trx, 'applications', applications);
  await insertRows(trx, 'application_lines', lines);
  await insertRows(trx, 'application_parties', parties);
  await insertRows(trx, 'application_transitions', transitions);
  await insertRows(trx, 'decisions', decisions);
  await insertRows(trx, 'licences', licences);
  counts.applications += applications.length;
  counts.applicationLines += lines.length;
  counts.applicationParties += parties.length;
  counts.applicationTransitions += transitions.length;
  counts.decisions += decisions.length;
  counts.licences += licences.length;
}

/**
 * Seed deterministic synthetic demo data: exporters (organisations of kind 'exporter'), their items and
 * parties, then `applications` applications streamed in batches (one transaction each), with lines, parties,
 * status history, decisions and licences. Every row is marked `synthetic = true`.
 * Refuses with DomainError CONFLICT when synthetic data is already present (see `removeDemoData`).
 * A failure part-way leaves the batches already committed; remove them with `removeDemoData`.
 */
export async function seedDemoData(db: Kysely<DB>, opts: SeedDemoDataOptions): Promise<SeedDemoDataResult> {
  const batchSize = opts.batchSize ?? 1000;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1 || batchSize > 20_000)
    throw invalid('Invalid batch size.', [
      { path: 'batchSize', message: 'must be an integer between 1 and 20,000' },
    ]);
  // Validates seed, dates and counts (DomainError INVALID naming the field) before anything is written.
  const world = buildSyntheticWorld({
    seed: opts.seed,
    referenceDate: opts.referenceDate,
    applications: opts.applications,
    exporters: opts.exporters ?? defaultExporterCount(opts.applications),
  });
  await assertNoSyntheticData(db, opts.seed);

  const counts: SeedDemoDataCounts = {
    organisations: world.exporters.length,
    items: world.items.length,
    parties: world.parties.length,
    applications: 0,
    applicationLines: 0,
    applicationParties: 0,
    applicationTransitions: 0,
    decisions: 0,
    licences: 0,
    byStatus: {},
    classifiedItems: 0,
    classifiedLines: 0,
  };
  await db.transaction().execute((trx) => insertWorld(trx, world));
  const classifications = (await opts.classifyCatalogue?.()) ?? new Map<string, string>();
  counts.classifiedItems = classifications.size;

  const total = opts.applications;
  opts.onProgress?.(0, total);
  let batch: SyntheticApplication[] = [];
  const flush = async (): Promise<void> => {
    const current = batch;
    batch = [];
    await db.transaction().execute((trx) => insertApplications(trx, current, counts, classifications));
    opts.onProgress?.(counts.applications, total);
  };
  for (const application of generateSyntheticApplications(world)) {
    batch.push(application);
    if (batch.length >= batchSize) await flush();
  }
  if (batch.length > 0) await flush();
  return { organisationIds: world.exporters.map((e) => e.id), counts };
}

export interface RemoveDemoDataResult {
  organisations: number;
  applications: number;
}

/**
 * Delete every synthetic row (applications and what hangs off them, items, parties, synthetic users and
 * organisations) in one transaction. Real data is never touched.
 */
export async function removeDemoData(db: Kysely<DB>): Promise<RemoveDemoDataResult> {
  return db.transaction().execute(async (trx) => {
    const syntheticApps = trx.selectFrom('applications').select('id').where('synthetic', '=', true);
    const syntheticOrgs = trx.selectFrom('organisations').select('id').where('synthetic', '=', true);
    await trx.deleteFrom('licences').where('application_id', 'in', syntheticApps).execute();
    await trx.deleteFrom('decisions').where('application_id', 'in', syntheticApps).execute();
    const apps = await trx.deleteFrom('applications').where('synthetic', '=', true).executeTakeFirst();
    await trx.deleteFrom('items').where('synthetic', '=', true).execute();
    await trx.deleteFrom('parties').where('synthetic', '=', true).execute();
    await trx
      .deleteFrom('users')
      .where('synthetic', '=', true)
      .where('organisation_id', 'in', syntheticOrgs)
      .execute();
    const orgs = await trx.deleteFrom('organisations').where('synthetic', '=', true).executeTakeFirst();
    return { organisations: Number(orgs.numDeletedRows), applications: Number(apps.numDeletedRows) };
  });
}

/** Number of synthetic applications present (for `demo seed` to report or skip). */
export async function countDemoApplications(db: Kysely<DB>): Promise<number> {
  const row = await db
    .selectFrom('applications')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('synthetic', '=', true)
    .executeTakeFirstOrThrow();
  return row.n;
}

/**
 * The open deadlines of the synthetic cases still in progress, as the lifecycle would have opened them: the
 * processing clock from the submission date (the `submitted` state's deadline, who and source from lifecycle.yaml)
 * and, for a case waiting on information or on a consultation, that state's deadline from the last transition into
 * it. Only synthetic applications without any deadline row are touched, so running it again adds nothing. Bulk seeding
 * writes history, not deadlines; without this the officer's queue would show no deadline on any demo case.
 * @example const opened = await openSyntheticCaseDeadlines(ctx); // number of deadline rows written
 */
export async function openSyntheticCaseDeadlines(ctx: ServiceContext): Promise<number> {
  const { stateDeadlines } = lifecyclePolicy().application;
  const cal = workingCalendar(ctx);
  const open = await ctx.db
    .selectFrom('applications as a')
    .select(['a.id', 'a.status', 'a.submitted_at'])
    .where('a.synthetic', '=', true)
    .where('a.status', 'in', [...OPEN_STATUSES])
    .where('a.submitted_at', 'is not', null)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb.selectFrom('case_deadlines as d').select('d.id').whereRef('d.application_id', '=', 'a.id'),
        ),
      ),
    )
    .orderBy('a.id')
    .execute();
  if (open.length === 0) return 0;
  const entered = new Map(
    (
      await ctx.db
        .selectFrom('application_transitions as t')
        .innerJoin('applications as a', 'a.id', 't.application_id')
        .select(['t.application_id', (eb) => eb.fn.max('t.at').as('at')])
        .whereRef('t.to_status', '=', 'a.status')
        .where(
          't.application_id',
          'in',
          open.map((o) => o.id),
        )
        .groupBy('t.application_id')
        .execute()
    ).map((r) => [r.application_id, r.at]),
  );
  const dayOf = (d: Date | string): string => new Date(d).toISOString().slice(0, 10);
  const now = ctx.now();
  const rows: Insertable<CaseDeadlinesTable>[] = [];
  const deadline = (applicationId: string, kind: string, state: string, startedOn: string) => {
    const rule = stateDeadlines[state];
    if (!rule) return;
    rows.push({
      id: ctx.newId(),
      application_id: applicationId,
      kind,
      who: rule.who,
      started_on: startedOn,
      working_days: rule.workingDays,
      due_on: addWorkingDays(cal, startedOn, rule.workingDays),
      calendar_id: cal.id,
      verified: rule.verified,
      source: rule.source,
      closed_at: null,
      created_at: now,
    });
  };
  for (const a of open) {
    deadline(a.id, PROCESSING_CLOCK, 'submitted', dayOf(a.submitted_at!));
    const since = entered.get(a.id);
    if (a.status !== 'submitted' && since) deadline(a.id, a.status, a.status, dayOf(since)); // none for in_assessment
  }
  for (let i = 0; i < rows.length; i += 1000)
    await ctx.db
      .insertInto('case_deadlines')
      .values(rows.slice(i, i + 1000))
      .execute();
  return rows.length;
}
