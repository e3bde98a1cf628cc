/** `custos screening hits|adjudicate|application|rescreen`: hits on parties and officer adjudications. */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { notFound } from '../../domain/errors.ts';
import { systemPrincipal } from '../../domain/model.ts';
import { migrateCustos } from '../../main.ts';
import {
  adjudicateHit,
  getScreeningHit,
  HIT_STATUSES,
  listScreeningHits,
  OFFICER_DECISIONS,
  rescreenAfterListChange,
  screenSubmittedApplication,
  type HitView,
} from '../../services/screening-runs.service.ts';
import type { CliContext } from '../context.ts';

const positiveInt = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number ≥ 1');
  return n;
};

const describeHit = (h: HitView): string =>
  `${h.id}  ${h.score01.toFixed(3)}  ${h.status}${h.isNew ? ' (new)' : ''}  party "${h.partyName}" ~ ${h.entryName} [${h.listName} ${h.sourceId}]${h.matchedAlias !== h.entryName ? ` via "${h.matchedAlias}"` : ''}`;

export function registerScreeningRunCommands(program: Command, cli: CliContext): void {
  const screening = program
    .command('screening')
    .description('Hits on parties from screening on submission and re-screening, and their adjudication');
  const principal = systemPrincipal('cli');

  screening
    .command('hits')
    .description('List hits on parties, newest first')
    .option('--application <id>', 'only hits on the parties of this application')
    .option('--party <id>', 'only hits on this party')
    .addOption(new Option('--status <status>', 'only hits with this status').choices([...HIT_STATUSES]))
    .option('--new', 'only hits not seen in an earlier screening')
    .option('--limit <n>', 'at most this many', positiveInt, 100)
    .option('--json', 'machine-readable output')
    .action(
      async (opts: {
        application?: string;
        party?: string;
        status?: string;
        new?: boolean;
        limit: number;
        json?: boolean;
      }) => {
        const out = cli.output(!!opts.json);
        const result = await cli.withCustos('custos screening hits', async (custos) => {
          await migrateCustos(custos);
          return listScreeningHits(custos.ctx, principal, {
            ...(opts.application && { applicationId: opts.application }),
            ...(opts.party && { partyId: opts.party }),
            ...(opts.status && { status: opts.status }),
            ...(opts.new && { newOnly: true }),
            limit: opts.limit,
          });
        });
        out.result(result, () =>
          result.items.length === 0
            ? 'No hit.'
            : [`${result.total} hit(s):`, ...result.items.map((h) => `  ${describeHit(h)}`)].join('\n'),
        );
      },
    );

  screening
    .command('adjudicate <hitId>')
    .description('Decide a hit as an officer: true_match, false_positive or needs_information, with a reason')
    .addOption(
      new Option('--decision <decision>', 'the decision')
        .choices([...OFFICER_DECISIONS])
        .makeOptionMandatory(),
    )
    .requiredOption('--reason <text>', 'why (at least 10 characters; audited)')
    .option('--version <n>', 'the version of the hit you read (default: its current version)', positiveInt)
    .option('--json', 'machine-readable output')
    .action(
      async (hitId: string, opts: { decision: string; reason: string; version?: number; json?: boolean }) => {
        const out = cli.output(!!opts.json);
        const hit = await cli.withCustos('custos screening adjudicate', async (custos) => {
          await migrateCustos(custos);
          const version = opts.version ?? (await getScreeningHit(custos.ctx, principal, hitId)).version;
          return adjudicateHit(custos.ctx, principal, hitId, {
            decision: opts.decision,
            reason: opts.reason,
            version,
          });
        });
        out.result(hit, `Adjudicated: ${describeHit(hit)}`);
      },
    );

  screening
    .command('application <applicationId>')
    .description('Screen the parties of an application now (as on submission) and store the run')
    .option('--json', 'machine-readable output')
    .action(async (applicationId: string, opts: { json?: boolean }) => {
      const out = cli.output(!!opts.json);
      const run = await cli.withCustos('custos screening application', async (custos) => {
        await migrateCustos(custos);
        return screenSubmittedApplication(custos.ctx, applicationId);
      });
      if (!run) throw notFound(`Application ${applicationId}`);
      out.result(
        run,
        run.outcome === 'no-list-loaded'
          ? 'No list is loaded: nothing screened (run `custos lists import` first).'
          : `Screened ${run.partiesScreened} parties: ${run.hitsFound} hit(s), ${run.newHits} new.`,
      );
    });

  screening
    .command('rescreen')
    .description('Re-screen every catalogue party against one list now and store the new hits')
    .requiredOption('--list <name>', 'the list name, e.g. "UN SC"')
    .option('--json', 'machine-readable output')
    .action(async (opts: { list: string; json?: boolean }) => {
      const out = cli.output(!!opts.json);
      const runs = await cli.withCustos('custos screening rescreen', async (custos) => {
        await migrateCustos(custos);
        return rescreenAfterListChange(custos.ctx, opts.list);
      });
      const newHits = runs.reduce((s, r) => s + r.newHits, 0);
      out.result(
        runs,
        `Re-screened ${runs.length} organisation(s) against ${opts.list}: ${newHits} new hit(s).`,
      );
    });
}
