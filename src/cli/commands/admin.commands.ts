/** Administration commands: migrate, table upkeep, users, audit verification, demo data. */
import fs from 'node:fs';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { DomainError } from '../../domain/errors.ts';
import { systemPrincipal, USER_ROLES, type UserRole } from '../../domain/model.ts';
import { LOCALES, type Locale } from '../../domain/locales.ts';
import { verifyAuditLog } from '../../services/audit.service.ts';
import { createUser } from '../../services/identity.service.ts';
import { ensureAuthority } from '../../services/organisations.service.ts';
import { runUpkeep, summarizeUpkeep } from '../../db/upkeep.ts';
import { migrateCustos } from '../../main.ts';
import type { CliContext } from '../context.ts';
import { seedDemo } from '../demo.ts';
import { EXIT } from '../output.ts';

const positiveInt = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive whole number');
  return n;
};

export function registerAdminCommands(program: Command, cli: CliContext): void {
  program
    .command('migrate')
    .description('Bring the database schema up to date')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      const out = cli.output(!!opts.json);
      const report = await cli.withCustos('custos migrate', migrateCustos);
      out.result(
        report,
        report.applied.length
          ? `Applied: ${report.applied.join(', ')}`
          : `Up to date (${report.alreadyApplied} migrations).`,
      );
    });

  program
    .command('upkeep')
    .description(
      'Analyze and vacuum the tables that need it (PostgreSQL autovacuum rule); on PostgreSQL only with --force',
    )
    .option('--force', 'also where PostgreSQL autovacuum runs (e.g. right after a bulk load)')
    .option('--json', 'machine-readable output')
    .action(async (opts: { force?: boolean; json?: boolean }) => {
      const out = cli.output(!!opts.json);
      const result = await cli.withCustos('custos upkeep', (custos) =>
        runUpkeep(custos.database.db, {
          force: !!opts.force,
          onStep: (step) =>
            out.info(`${step.vacuum ? 'vacuum and analyze' : 'analyze'} ${step.table}: ${step.reason}`),
        }),
      );
      out.result(result, summarizeUpkeep(result));
    });

  const users = program.command('users').description('Manage user accounts');
  users
    .command('create')
    .description('Create a user account (reads the password from CUSTOS_PASSWORD or standard input)')
    .requiredOption('--email <email>', 'e-mail address, used to sign in')
    .requiredOption('--name <name>', 'display name')
    .addOption(new Option('--role <role>', 'role').choices([...USER_ROLES]).makeOptionMandatory())
    .requiredOption(
      '--organisation <name-or-id>',
      'organisation (exact name or id); "authority" for the licensing authority',
    )
    .addOption(
      new Option(
        '--language <code>',
        'language of the e-mails Custos sends the user (default: English)',
      ).choices([...LOCALES]),
    )
    .option('--json', 'machine-readable output')
    .action(
      async (opts: {
        email: string;
        name: string;
        role: UserRole;
        organisation: string;
        language?: Locale;
        json?: boolean;
      }) => {
        const out = cli.output(!!opts.json);
        const password =
          process.env.CUSTOS_PASSWORD ??
          (process.stdin.isTTY ? '' : fs.readFileSync(0, 'utf8').split(/\r?\n/)[0]!);
        if (!password)
          throw new DomainError('INVALID', 'Give the password in CUSTOS_PASSWORD or on standard input.', {
            issues: [{ path: 'password', message: 'missing' }],
          });
        const user = await cli.withCustos('custos users create', async ({ ctx }) => {
          const org =
            opts.organisation === 'authority'
              ? await ensureAuthority(ctx, systemPrincipal('cli'))
              : await ctx.db
                  .selectFrom('organisations')
                  .select('id')
                  .where((eb) =>
                    eb.or([
                      eb('name', '=', opts.organisation),
                      eb(eb.cast('id', 'text'), '=', opts.organisation),
                    ]),
                  )
                  .executeTakeFirst();
          if (!org) throw new DomainError('NOT_FOUND', `No organisation "${opts.organisation}".`);
          return createUser(ctx, systemPrincipal('cli'), {
            organisationId: org.id,
            email: opts.email,
            displayName: opts.name,
            role: opts.role,
            password,
            language: opts.language ?? null,
          });
        });
        out.result(user, `Created ${user.role} ${user.email} (${user.id}).`);
      },
    );

  const audit = program.command('audit').description('The hash-chained audit log');
  audit
    .command('verify')
    .description(
      'Verify the audit hash chain; names every changed, deleted or reordered event (exit 7 if broken)',
    )
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      const out = cli.output(!!opts.json);
      const result = await cli.withCustos('custos audit verify', async ({ ctx }) => {
        const progress = out.progress('Verifying audit log', 0);
        const r = await verifyAuditLog(ctx.db, { onProgress: (done, total) => progress.update(done, total) });
        progress.stop();
        return r;
      });
      out.result(result, () =>
        result.ok
          ? `Audit log intact: ${result.checked} events, last #${result.lastSeq}.`
          : [
              `Audit log BROKEN: ${result.problems.length} problem(s) in ${result.checked} events:`,
              ...result.problems.map((p) => `  #${p.seq} ${p.kind}: ${p.message}`),
            ].join('\n'),
      );
      if (!result.ok) process.exitCode = EXIT.CHECK_FAILED;
    });

  const demo = program.command('demo').description('Synthetic demo data');
  demo
    .command('seed')
    .description(
      'Seed deterministic synthetic exporters, items, parties and applications (labelled synthetic)',
    )
    .option('--applications <n>', 'number of applications', positiveInt, 1000)
    .option('--seed <n>', 'random seed (same seed, same data)', positiveInt, 20_210_821)
    .option('--json', 'machine-readable output')
    .action(async (opts: { applications: number; seed: number; json?: boolean }) => {
      const out = cli.output(!!opts.json);
      const started = Date.now();
      const organisationIds = await cli.withCustos('custos demo seed', async (custos) => {
        await migrateCustos(custos);
        return seedDemo(custos.ctx, out, opts);
      });
      const seconds = (Date.now() - started) / 1000;
      out.result(
        { applications: opts.applications, seed: opts.seed, organisations: organisationIds.length, seconds },
        `Done in ${seconds.toFixed(1)} s.`,
      );
    });
}
