/**
 * `custos report build|draft|review|publish|list|schedule|check-source|merge`: periodic transparency reports from the command
 * line: build files from the database, queue a draft for review, approve it, publish it, and merge several
 * authorities' published data packages into EU-level tables.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { DomainError } from '../../domain/errors.ts';
import { systemPrincipal } from '../../domain/model.ts';
import { mergeDataPackages, renderCsv, type PublishedDataPackage } from '../../engines/reporting/index.ts';
import {
  checkReportSources,
  differingApplications,
  summarizeReportSourceCheck,
} from '../../db/report-sources.ts';
import { migrateCustos } from '../../main.ts';
import { loadPublicationPolicies } from '../../services/publication/publication-policy.loader.ts';
import {
  createReportDraft,
  getPublishedFile,
  listPublishedReports,
  listReportDrafts,
  parseFormats,
  publishReportDraft,
  reviewReportDraft,
  runPublicationSchedule,
} from '../../services/publication.service.ts';
import { writePeriodReportFiles } from '../../services/report-build.service.ts';
import type { CliContext } from '../context.ts';
import { EXIT } from '../output.ts';

const cliPrincipal = () => systemPrincipal('cli');

function writeFiles(dir: string, files: ReadonlyMap<string, Uint8Array>): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const names = [...files.keys()].sort();
  for (const name of names) fs.writeFileSync(path.join(dir, name), files.get(name)!);
  return names;
}

/** Reads a published data package from a folder (its datapackage.json and every CSV beside it). */
export function readDataPackageDir(dir: string): PublishedDataPackage {
  const descriptorFile =
    fs.existsSync(dir) && fs.statSync(dir).isFile() ? dir : path.join(dir, 'datapackage.json');
  if (!fs.existsSync(descriptorFile)) throw new DomainError('NOT_FOUND', `No datapackage.json in ${dir}.`);
  const base = path.dirname(descriptorFile);
  let descriptor: unknown;
  try {
    descriptor = JSON.parse(fs.readFileSync(descriptorFile, 'utf8'));
  } catch (e) {
    throw new DomainError('INVALID', `${descriptorFile} is not valid JSON: ${(e as Error).message}`);
  }
  const files = new Map<string, string>();
  for (const name of fs.readdirSync(base).filter((f) => f.endsWith('.csv')))
    files.set(name, fs.readFileSync(path.join(base, name), 'utf8'));
  return { source: dir, descriptor, files };
}

export function registerReportCommands(program: Command, cli: CliContext): void {
  const report = program
    .command('report')
    .description('Periodic transparency reports: build, review queue, publish, list, EU merge');

  report
    .command('build')
    .description(
      'Build a period report from the database and write its files (nothing is published). Months of decisions unchanged since an earlier build come from the cache of register blocks (CUSTOS_REPORT_CACHE_DIR)',
    )
    .requiredOption('--period <period>', 'e.g. 2025-Q4, 2025-11 or 2025')
    .option('--format <list>', 'json,csv,xlsx,html,pdf', 'json,csv,xlsx,html,pdf')
    .requiredOption(
      '--out <dir>',
      'folder to write the files to (all moved into place once whole; none if the build fails)',
    )
    .option(
      '--redaction-policy <file.yaml>',
      'another redaction policy (validated; confidential fields refused)',
    )
    .option('--json', 'machine-readable output')
    .action(
      async (opts: {
        period: string;
        format: string;
        out: string;
        redactionPolicy?: string;
        json?: boolean;
      }) => {
        const out = cli.output(!!opts.json);
        const formats = parseFormats(opts.format);
        const policies = loadPublicationPolicies(
          opts.redactionPolicy ? { redactionFile: opts.redactionPolicy } : {},
        );
        const result = await cli.withCustos('custos report build', async (custos) => {
          await migrateCustos(custos);
          // A year of a large register takes a minute: one line per step (stderr; none with --json).
          let t0 = performance.now();
          const took = () => {
            const seconds = ((performance.now() - t0) / 1000).toFixed(1);
            t0 = performance.now();
            return `${seconds} s`;
          };
          out.info(`Reading the applications of ${opts.period} ...`);
          const built = await writePeriodReportFiles(custos.ctx, cliPrincipal(), {
            period: opts.period,
            formats,
            policies,
            dir: opts.out,
            onRead: (read) =>
              out.info(
                read.months > 0
                  ? `Read ${read.applications} applications; ${read.monthsReused} of ${read.months} months of decisions and ${read.trendMonthsReused} of ${read.trendMonths} months of the trend from the cache (${took()}); building the report ...`
                  : `Read ${read.applications} applications (${took()}); building the report ...`,
              ),
          });
          out.info(
            `Built, rendered and wrote ${formats.join(', ')}: ${built.registerRows} register rows (${took()}).`,
          );
          if (built.cache.unused) out.info(`Cache of register blocks not used: ${built.cache.unused}.`);
          for (const month of built.cache.unkept)
            out.info(`Cache of register blocks: could not keep ${month}.`);
          return { built, names: built.names };
        });
        const s = result.built.shell.summary;
        out.result(
          {
            period: result.built.shell.period.id,
            applications: s.applications,
            withheldByDelay: s.withheldByDelay,
            notices: result.built.notices,
            files: result.names,
            out: opts.out,
            cache: result.built.cache,
          },
          `${result.built.shell.period.id}: ${s.applications} applications (${s.withheldByDelay} withheld by delay); wrote ${result.names.length} files to ${opts.out}`,
        );
      },
    );

  report
    .command('draft')
    .description(
      'Build a draft of a period report and put it in the review queue (through the cache of register blocks, as build)',
    )
    .requiredOption('--period <period>', 'e.g. 2025-Q4')
    .option('--note <text>', 'correction note (when the period is already published)')
    .option('--json', 'machine-readable output')
    .action(async (opts: { period: string; note?: string; json?: boolean }) => {
      const out = cli.output(!!opts.json);
      const draft = await cli.withCustos('custos report draft', async (custos) => {
        await migrateCustos(custos);
        return createReportDraft(custos.ctx, cliPrincipal(), {
          period: opts.period,
          ...(opts.note && { correctionNote: opts.note }),
        });
      });
      out.result(
        draft,
        `Draft ${draft.id} of ${draft.periodId}: ${draft.applications} applications; waiting for review.`,
      );
    });

  report
    .command('review <draftId>')
    .description('Approve or reject a draft')
    .option('--approve', 'approve the draft for publication')
    .option('--reject', 'reject the draft (needs --note)')
    .option('--note <text>', 'review note')
    .option('--json', 'machine-readable output')
    .action(
      async (
        draftId: string,
        opts: { approve?: boolean; reject?: boolean; note?: string; json?: boolean },
      ) => {
        const out = cli.output(!!opts.json);
        if (!!opts.approve === !!opts.reject)
          throw new DomainError('INVALID', 'Say --approve or --reject.', {
            issues: [{ path: 'decision', message: 'exactly one of --approve, --reject' }],
          });
        const draft = await cli.withCustos('custos report review', async (custos) => {
          await migrateCustos(custos);
          const current = (await listReportDrafts(custos.ctx, cliPrincipal(), {})).find(
            (d) => d.id === draftId,
          );
          if (!current) throw new DomainError('NOT_FOUND', `Report draft ${draftId} was not found.`);
          return reviewReportDraft(custos.ctx, cliPrincipal(), draftId, {
            decision: opts.approve ? 'approve' : 'reject',
            version: current.version,
            ...(opts.note && { note: opts.note }),
          });
        });
        out.result(draft, `Draft ${draft.id} of ${draft.periodId}: ${draft.status}.`);
      },
    );

  report
    .command('publish')
    .description('Publish the approved draft of a period as an immutable revision (idempotent)')
    .requiredOption('--period <period>', 'e.g. 2025-Q4')
    .option('--draft <id>', 'the draft to publish (default: the newest approved draft of the period)')
    .option('--note <text>', 'correction note (needed for revision 2 onwards)')
    .option('--out <dir>', 'also write the published files to this folder')
    .option('--json', 'machine-readable output')
    .action(async (opts: { period: string; draft?: string; note?: string; out?: string; json?: boolean }) => {
      const out = cli.output(!!opts.json);
      const result = await cli.withCustos('custos report publish', async (custos) => {
        await migrateCustos(custos);
        const drafts = await listReportDrafts(custos.ctx, cliPrincipal(), { period: opts.period });
        const draft = opts.draft
          ? drafts.find((d) => d.id === opts.draft)
          : (drafts.find((d) => d.status === 'approved') ?? drafts.find((d) => d.status === 'published'));
        if (!draft) {
          throw new DomainError(
            'CONFLICT',
            `No approved draft of ${opts.period}: build one (custos report draft) and approve it (custos report review) first.`,
          );
        }
        const published = await publishReportDraft(custos.ctx, cliPrincipal(), draft.id, {
          ...(opts.note && { note: opts.note }),
        });
        if (opts.out) {
          const files = new Map<string, Uint8Array>();
          for (const f of published.files) {
            const got = await getPublishedFile(
              custos.ctx,
              published.revision.periodId,
              published.revision.revision,
              f.name,
            );
            files.set(f.name, got.content);
          }
          writeFiles(opts.out, files);
        }
        return published;
      });
      out.result(
        result,
        `${result.revision.periodId} revision ${result.revision.revision}: ${result.action} (${result.reason})`,
      );
    });

  report
    .command('list')
    .description('Published revisions and the review queue')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      const out = cli.output(!!opts.json);
      const result = await cli.withCustos('custos report list', async (custos) => {
        await migrateCustos(custos);
        return {
          published: await listPublishedReports(custos.ctx),
          drafts: await listReportDrafts(custos.ctx, cliPrincipal(), {}),
        };
      });
      out.result(result, () =>
        [
          'Published:',
          ...result.published.map(
            (r) =>
              `  ${r.periodId} r${r.revision}  ${r.publishedAt}  ${r.summary}${r.note ? `  (correction: ${r.note})` : ''}`,
          ),
          'Drafts:',
          ...result.drafts.map(
            (d) => `  ${d.id}  ${d.periodId}  ${d.status}  ${d.applications} applications  ${d.builtAt}`,
          ),
        ].join('\n'),
      );
    });

  report
    .command('schedule')
    .description(
      'Run the publication schedule now: draft every due period (the worker keeps its recurring run)',
    )
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      const out = cli.output(!!opts.json);
      const result = await cli.withCustos('custos report schedule', async (custos) => {
        await migrateCustos(custos);
        return runPublicationSchedule(custos.ctx);
      });
      out.result(
        result,
        result.drafted.length ? `Drafted: ${result.drafted.join(', ')}` : 'No period is due.',
      );
    });

  report
    .command('check-source')
    .description(
      'Compare the report source table with its definition (migration 0900); with --repair, recompute what differs (exit 7 if it differs and is not repaired)',
    )
    .option('--repair', 'recompute every application whose row differs, is missing or should not be there')
    .option('--json', 'machine-readable output')
    .action(async (opts: { repair?: boolean; json?: boolean }) => {
      const out = cli.output(!!opts.json);
      const found = await cli.withCustos('custos report check-source', async (custos) => {
        await migrateCustos(custos);
        out.info('Comparing report_sources with report_source_view...');
        return checkReportSources(custos.database.db, { repair: !!opts.repair });
      });
      out.result(found, summarizeReportSourceCheck(found));
      if (differingApplications(found).length > 0 && !opts.repair) process.exitCode = EXIT.CHECK_FAILED;
    });

  report
    .command('merge <package...>')
    .description(
      'Merge several authorities’ published data packages (folders with datapackage.json) into EU tables',
    )
    .requiredOption('--out <dir>', 'folder for the EU tables (CSV) and eu-aggregate.json')
    .option('--json', 'machine-readable output')
    .action((packages: string[], opts: { out: string; json?: boolean }) => {
      const out = cli.output(!!opts.json);
      const merged = mergeDataPackages(packages.map(readDataPackageDir));
      const files = new Map<string, Uint8Array>();
      for (const t of merged.tables) files.set(`${t.name}.csv`, renderCsv(t));
      const { tables, ...meta } = merged;
      files.set(
        'eu-aggregate.json',
        new TextEncoder().encode(
          `${JSON.stringify({ ...meta, tables: tables.map((t) => t.name) }, null, 2)}\n`,
        ),
      );
      const names = writeFiles(opts.out, files);
      out.result(
        { periodId: merged.periodId, sources: merged.sources, files: names },
        `EU ${merged.periodId}: ${merged.sources.length} authorities (${merged.sources.map((s) => s.memberState).join(', ')}); wrote ${names.join(', ')}`,
      );
    });
}
