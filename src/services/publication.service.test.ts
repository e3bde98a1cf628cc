/** Publication service on a real database: the schedule job, policy refusals, the line mapping, determinism. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDecidedApplication } from '../../test/factories/publication.ts';
import { makeWorld, type World } from '../../test/factories/world.ts';
import { testConfig } from '../../test/support/config.ts';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { claimJobs, completeJob } from '../jobs/queue.ts';
import { ensureRecurringJobs } from '../jobs/recurring.ts';
import { jobHandlers } from '../main.ts';
import { createServiceContext, type ServiceContext } from './context.ts';
import {
  DEFAULT_REDACTION_POLICY_FILE,
  defaultPublicationPolicies,
  loadPublicationPolicies,
} from './publication/publication-policy.loader.ts';
import { describeClassifiedLine } from './publication/register-source.reader.ts';
import {
  assertReportRedacted,
  buildPeriodReport,
  buildReportFromSource,
  createReportDraft,
  getReportDraftContent,
  readPeriodSource,
  findDuePeriods,
  PUBLICATION_SCHEDULE_QUEUE,
  publicationRecurringJob,
  runPublicationSchedule,
} from './publication.service.ts';
import { digestReportContent, parsePeriod } from '../engines/reporting/index.ts';

let database: TestDatabase;
let ctx: ServiceContext;
let world: World;
const clock = new Date('2026-02-10T06:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  ctx = createServiceContext(database.db, testConfig(), { now: () => clock });
  world = await makeWorld(ctx, 'sched');
  for (const [i, dest] of ['AE', 'SG', 'AE'].entries()) {
    await makeDecidedApplication(ctx, (i % 2 ? world.exporterB : world.exporterA).principal, {
      submittedAt: '2025-08-01T09:00:00Z',
      decidedAt: `2025-12-0${i + 1}T09:00:00Z`,
      outcome: 'granted',
      destination: dest,
    });
  }
});
afterAll(async () => database.close());

describe('publication schedule', () => {
  it('drafts the due periods of the configured granularities once, and queues its next run', async () => {
    // 2026-02-10: 2025-Q4 ended 2025-12-31, + 35 days -> due; 2025 (year) too; 2026-Q1 not yet.
    expect((await findDuePeriods(ctx, '2026-02-10')).map((p) => p.id).sort()).toEqual([
      '2024',
      '2025',
      '2025-Q3',
      '2025-Q4',
    ]);
    expect(jobHandlers(ctx)[PUBLICATION_SCHEDULE_QUEUE]).toBeTypeOf('function');
    const first = await runPublicationSchedule(ctx);
    expect(first.drafted.sort()).toEqual(['2024', '2025', '2025-Q3', '2025-Q4']);
    // the queued run (as a worker claims it): drafts nothing new, and queues its next run
    await ensureRecurringJobs(ctx.db, [publicationRecurringJob()], clock);
    const [run] = await claimJobs(ctx.db, 'schedule-test', [PUBLICATION_SCHEDULE_QUEUE], { now: clock });
    await jobHandlers(ctx)[PUBLICATION_SCHEDULE_QUEUE]!(run!.payload, run!);
    await completeJob(ctx.db, run!.id, 'schedule-test', clock);
    const again = await runPublicationSchedule(ctx);
    expect(again.drafted).toEqual([]);
    const drafts = await ctx.db
      .selectFrom('report_drafts')
      .select(['period_id', 'status', 'built_by'])
      .execute();
    expect(drafts.every((d) => d.status === 'draft' && d.built_by === 'system:publication-schedule')).toBe(
      true,
    );
    const jobs = await ctx.db
      .selectFrom('jobs')
      .select(['queue', 'run_at'])
      .where('queue', '=', PUBLICATION_SCHEDULE_QUEUE)
      .where('status', '=', 'pending')
      .execute();
    expect(jobs).toHaveLength(1);
    expect(new Date(jobs[0]!.run_at).getTime()).toBe(clock.getTime() + 24 * 3_600_000);
    const audit = await ctx.db
      .selectFrom('audit_events')
      .select('action')
      .where('action', '=', 'report.draft_built')
      .execute();
    expect(audit).toHaveLength(4);
  });

  it('builds the same content twice from the same data (digest ignores the publication time)', async () => {
    const system = { kind: 'system', name: 'test' } as const;
    const a = await buildPeriodReport(ctx, system, { period: '2025-Q4' });
    const b = await buildPeriodReport(ctx, system, { period: '2025-Q4' });
    expect(a.report.summary.applications).toBe(3);
    expect(digestReportContent(a.report)).toBe(digestReportContent(b.report));
  });

  it("keeps a draft's report gzipped, and still reads one kept as plain JSON (before 2026-12-02)", async () => {
    const system = { kind: 'system', name: 'test' } as const;
    const draft = await createReportDraft(ctx, system, { period: '2025-Q4' });
    const row = await ctx.db
      .selectFrom('report_drafts')
      .select('report_json')
      .where('id', '=', draft.id)
      .executeTakeFirstOrThrow();
    expect([...row.report_json.subarray(0, 2)]).toEqual([0x1f, 0x8b]);
    const report = await getReportDraftContent(ctx, system, draft.id);
    expect(report.summary.applications).toBe(3);
    expect(digestReportContent(report)).toBe(draft.contentSha256);
    expect(JSON.stringify(report)).toBe(
      JSON.stringify((await buildPeriodReport(ctx, system, { period: '2025-Q4' })).report),
    );
    await ctx.db
      .updateTable('report_drafts')
      .set({ report_json: new TextEncoder().encode(JSON.stringify(report)) })
      .where('id', '=', draft.id)
      .execute();
    expect(JSON.stringify(await getReportDraftContent(ctx, system, draft.id))).toBe(JSON.stringify(report));
  });

  it("refuses a report carrying a confidential source value, naming where it is (the service's last guard)", async () => {
    const policies = defaultPublicationPolicies();
    const period = parsePeriod('2025-Q4');
    const publishedAt = '2026-02-10T06:00:00Z';
    const source = await readPeriodSource(ctx, period, policies, publishedAt);
    const { report } = buildReportFromSource(ctx, { period, policies, publishedAt, source });
    expect(() => assertReportRedacted(report, source.records, policies)).not.toThrow();
    const exporterName = source.records[0]!.exporterName;
    const leaked = structuredClone(report);
    leaked.register[1]!.items[0]!.description = `  ${exporterName.toUpperCase()} `;
    expect(() => assertReportRedacted(leaked, source.records, policies)).toThrow(
      /confidential values at report\.register\.1\.items\.0\.description; refused/,
    );
    const line = source.records[0]!.lines[0]!;
    const leakedText = structuredClone(report);
    leakedText.notes.push(line.confidentialDescription);
    expect(() => assertReportRedacted(leakedText, source.records, policies)).toThrow(
      new RegExp(`report\\.notes\\.${leakedText.notes.length - 1}\\b`),
    );
  });

  it('refuses an exporter', async () => {
    await expect(
      buildPeriodReport(ctx, world.exporterA.principal, { period: '2025-Q4' }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });
});

describe('publication policies', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-pub-policy-'));
  it('refuses a redaction policy that would publish a confidential field, with the reason', () => {
    const text = fs
      .readFileSync(DEFAULT_REDACTION_POLICY_FILE, 'utf8')
      .replace(/^(fields:\n)/m, "$1  lines.confidentialDescription: { publish: true, source: 'x' }\n");
    const file = path.join(dir, 'unsafe.yaml');
    fs.writeFileSync(file, text);
    expect(() => loadPublicationPolicies({ redactionFile: file })).toThrow(
      /confidentialDescription.*exporter's own item description/s,
    );
  });
  it('refuses a bad schedule naming the file and field', () => {
    const file = path.join(dir, 'publication.yaml');
    fs.writeFileSync(
      file,
      'id: p\nversion: "1"\nschedule: { granularities: [weekly], buildDelayDays: 3, lookbackPeriods: 1, everyHours: 24 }\n',
    );
    expect(() => loadPublicationPolicies({ publicationFile: file })).toThrow(
      /publication\.yaml:schedule\.granularities/,
    );
  });
});

describe('line mapping from the classification snapshot', () => {
  const { vocabulary } = defaultPublicationPolicies();
  it('uses the vocabulary description and category of the matched entry', () => {
    expect(
      describeClassifiedLine({ matchedEntries: ['5A001.f.2'], cyberSurveillance: true }, vocabulary),
    ).toEqual({
      controlEntries: ['5A001.f.2'],
      cyberSurveillanceCategory: 'telecom_interception',
      publicDescriptionCode: 'MOB-IDENTIFIER',
    });
  });
  it('falls back to the generic description; cyber-surveillance without a known entry is "other"', () => {
    expect(describeClassifiedLine({ matchedEntries: [], cyberSurveillance: true }, vocabulary)).toEqual({
      controlEntries: [],
      cyberSurveillanceCategory: 'other',
      publicDescriptionCode: 'OTHER-DUAL-USE',
    });
    expect(describeClassifiedLine(null, vocabulary).cyberSurveillanceCategory).toBeNull();
  });
});
