/** Seeding the synthetic demo data from the CLI, with progress. */
import { seedDemoData } from '../services/demo-seed.service.ts';
import { systemPrincipal } from '../domain/model.ts';
import { appendAudit } from '../services/audit.service.ts';
import type { ServiceContext } from '../services/context.ts';
import type { Output } from './output.ts';

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
  return seedDemo(ctx, out, { applications: DEMO_APPLICATIONS, seed: DEMO_SEED });
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
    out.info(
      `Seeded ${opts.applications} synthetic applications in ${((Date.now() - started) / 1000).toFixed(1)} s (seed ${opts.seed}).`,
    );
    return result.organisationIds;
  } catch (e) {
    progress.stop();
    throw e;
  }
}
