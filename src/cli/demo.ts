/** Seeding the synthetic demo data from the CLI, with progress. */
import { runUpkeep, summarizeUpkeep } from '../db/upkeep.ts';
import { classifyDemoItems } from '../services/classification.service.ts';
import { openSyntheticCaseDeadlines, seedDemoData } from '../services/demo-seed.service.ts';
import { systemPrincipal } from '../domain/model.ts';
import type { DemoAccount } from '../services/demo-accounts.service.ts';
import { requestInformation } from '../services/casework.service.ts';
import { dueDiligenceQuestionnaire } from '../services/compliance-policy.ts';
import { saveDueDiligence } from '../services/due-diligence.service.ts';
import { appendAudit } from '../services/audit.service.ts';
import {
  listReportDrafts,
  publishReportDraft,
  reviewReportDraft,
  runPublicationSchedule,
} from '../services/publication.service.ts';
import type { ServiceContext } from '../services/context.ts';
import type { Output } from './output.ts';
import { principalFor } from './principal.ts';

export const DEMO_APPLICATIONS = 1000;
export const DEMO_SEED = 20_210_821;

/** On an empty database, seed the demo data set; return the exporter organisations for the demo accounts. */
export async function seedDemoIfEmpty(ctx: ServiceContext, out: Output): Promise<string[]> {
  const any = await ctx.db.selectFrom('applications').select('id').limit(1).executeTakeFirst();
  if (any) {
    const orgs = await ctx.db
      .selectFrom('organisations')
      .select('id')
      .where('kind', '=', 'exporter')
      .orderBy('created_at')
      .orderBy('name')
      .limit(2)
      .execute();
    return orgs.map((o) => o.id);
  }
  const organisationIds = await seedDemo(ctx, out, { applications: DEMO_APPLICATIONS, seed: DEMO_SEED });
  await publishDemoReports(ctx, out);
  return organisationIds;
}

/**
 * Publish the transparency reports due on the synthetic data, so a newcomer's register and reports pages are not
 * empty: the publication schedule drafts every due period, and the demo authority approves and publishes each draft
 * through the same review queue an officer uses (audited as the demo seed).
 */
export async function publishDemoReports(ctx: ServiceContext, out: Output): Promise<void> {
  const started = Date.now();
  const actor = systemPrincipal('demo-seed');
  const { drafted } = await runPublicationSchedule(ctx);
  for (const draft of await listReportDrafts(ctx, actor, { status: 'draft' })) {
    const approved = await reviewReportDraft(ctx, actor, draft.id, {
      decision: 'approve',
      note: 'Synthetic demo data, published by the demo seed.',
      version: draft.version,
    });
    await publishReportDraft(ctx, actor, approved.id);
  }
  out.info(
    `Published demo transparency reports for ${drafted.join(', ') || 'no due period'} in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
  );
}

export async function seedDemo(
  ctx: ServiceContext,
  out: Output,
  opts: { applications: number; seed: number },
): Promise<string[]> {
  const progress = out.progress('Seeding synthetic demo data', opts.applications);
  const started = Date.now();
  try {
    const result = await seedDemoData(ctx.db, {
      applications: opts.applications,
      seed: opts.seed,
      referenceDate: ctx.now(),
      onProgress: (done: number, total: number) => progress.update(done, total),
      classifyCatalogue: () => classifyDemoItems(ctx),
    });
    progress.stop();
    await ctx.db.transaction().execute((trx) =>
      appendAudit(ctx, trx, systemPrincipal('demo-seed'), {
        action: 'demo.seeded',
        entityType: 'demo_data',
        entityId: String(opts.seed),
        payload: {
          seed: opts.seed,
          referenceDate: ctx.now().toISOString(),
          counts: result.counts,
          synthetic: true,
        },
      }),
    );
    const deadlines = await openSyntheticCaseDeadlines(ctx);
    out.info(
      `Seeded ${opts.applications} synthetic applications in ${((Date.now() - started) / 1000).toFixed(1)} s (seed ${opts.seed}); classified ${result.counts.classifiedItems} demo items against the control list (${result.counts.classifiedLines} submitted lines keep the result); opened ${deadlines} deadlines of the cases in progress.`,
    );
    // A bulk load: the planner needs statistics now (PGlite never gathers them itself; see src/db/upkeep.ts).
    out.info(summarizeUpkeep(await runUpkeep(ctx.db, { force: true })));
    return result.organisationIds;
  } catch (e) {
    progress.stop();
    throw e;
  }
}

/** Demo answers to the due-diligence questionnaire (synthetic; only questions the questionnaire still has are sent). */
const DEMO_DUE_DILIGENCE: Record<string, unknown> = {
  listed_in_annex_i: true,
  control_entries: ['5A001.j'],
  art_2_20_item: 'yes',
  classification_rationale:
    'Synthetic demo answer: classified by the export compliance officer from the product data sheet and a test report.',
  covert_capability: false,
  scale: 'targeted',
  selector_search: true,
  customisation_requested: false,
  marketing_stresses_covert: false,
  parties_screened: true,
  end_user_type: 'telecom_operator',
};

/** The questions an officer asks in the demo's open information request. */
const DEMO_QUESTIONS = [
  "Provide the end user's signed end-use statement, naming the units that will operate the system.",
  'Describe who will operate the items, for what purpose, and the safeguards the end user applies to their use.',
];

/**
 * Casework a newcomer can see from the first demo exporter's side: the demo officer asks for information on one of
 * its applications in assessment (an open request with a deadline, answerable on the status page), and the exporter
 * has started the due-diligence record of one of its drafts. Done through the services, as the demo accounts would do
 * it (validated, audited); nothing happens without the demo accounts or where the demo data has no such application.
 */
export async function stageDemoCasework(
  ctx: ServiceContext,
  out: Output,
  accounts: readonly DemoAccount[],
): Promise<void> {
  const officerAccount = accounts.find((a) => a.role === 'officer');
  const exporterAccount = accounts.find((a) => a.role === 'exporter');
  if (!officerAccount || !exporterAccount) return;
  const officer = await principalFor(ctx, officerAccount.email);
  const exporter = await principalFor(ctx, exporterAccount.email);
  if (exporter.kind !== 'user') return;
  const first = (status: string) =>
    ctx.db
      .selectFrom('applications')
      .select(['id', 'reference', 'version'])
      .where('organisation_id', '=', exporter.organisationId)
      .where('status', '=', status)
      .orderBy('reference')
      .executeTakeFirst();
  const staged: string[] = [];
  const inAssessment = await first('in_assessment');
  if (inAssessment) {
    await requestInformation(ctx, officer, inAssessment.id, {
      questions: DEMO_QUESTIONS,
      workingDays: 10,
      expectedVersion: inAssessment.version,
    });
    staged.push(`an information request on ${inAssessment.reference}`);
  }
  const draft = await first('draft');
  if (draft) {
    const asked = new Set(dueDiligenceQuestionnaire().sections.flatMap((s) => s.questions.map((q) => q.id)));
    await saveDueDiligence(ctx, exporter, draft.id, {
      answers: Object.fromEntries(Object.entries(DEMO_DUE_DILIGENCE).filter(([id]) => asked.has(id))),
    });
    staged.push(`a due-diligence record begun on ${draft.reference}`);
  }
  if (staged.length > 0) out.info(`Demo casework for ${exporterAccount.email}: ${staged.join('; ')}.`);
}
