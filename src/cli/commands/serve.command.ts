/** `custos serve`: migrate, optionally seed the demo on first run, serve HTTP and run jobs until stopped. */
import type { Command } from 'commander';
import { ensureDemoAccounts, type DemoAccount } from '../../services/demo-accounts.service.ts';
import { migrateCustos, openCustos, startServer } from '../../main.ts';
import { seedDemoIfEmpty, stageDemoCasework } from '../demo.ts';
import type { CliContext } from '../context.ts';

export function registerServeCommand(program: Command, cli: CliContext): void {
  program
    .command('serve')
    .description('Migrate the database and serve the API and portal (stop with Ctrl-C)')
    .option('--first-run', 'on an empty database, seed the synthetic demo data and demo accounts')
    .option('--quiet', 'no request logs')
    .action(async (opts: { firstRun?: boolean; quiet?: boolean }) => {
      const out = cli.output(false);
      const started = Date.now();
      const custos = await openCustos(cli.config, 'custos serve');
      try {
        const report = await migrateCustos(custos);
        if (report.applied.length) out.info(`Applied migrations: ${report.applied.join(', ')}`);
        let accounts: DemoAccount[] = [];
        if (opts.firstRun) {
          const exporterIds = await seedDemoIfEmpty(custos.ctx, out);
          accounts = await ensureDemoAccounts(custos.ctx, exporterIds);
          await stageDemoCasework(custos.ctx, out, accounts);
        }
        const server = await startServer(custos, { logger: !opts.quiet });
        const backend =
          custos.database.backend === 'pglite'
            ? `embedded PGlite in ${cli.config.dataDir}`
            : 'PostgreSQL (DATABASE_URL)';
        out.info('');
        out.info(
          `Custos is running at ${server.url}  (started in ${((Date.now() - started) / 1000).toFixed(1)} s; database: ${backend})`,
        );
        out.info(
          `  API documentation: ${server.url}/docs   OpenAPI: ${server.url}/openapi.json   health: ${server.url}/healthz`,
        );
        if (accounts.length) {
          out.info(
            '  Demo accounts (synthetic demo data; the password is public, never use it in production):',
          );
          for (const a of accounts)
            out.info(`    ${a.role.padEnd(13)} ${a.email}  password: ${a.password}  (${a.organisation})`);
        }
        const { smtp } = cli.config;
        out.info(
          cli.config.jobWorkers > 0
            ? `  E-mail: SMTP ${smtp.host}:${smtp.port} (CUSTOS_SMTP_HOST, CUSTOS_SMTP_PORT); while it cannot be reached, messages wait in the outbox and are retried (custos outbox list).`
            : '  E-mail: no job worker runs (CUSTOS_JOB_WORKERS=0): messages wait in the outbox until a worker runs.',
        );
        out.info('  Stop with Ctrl-C.');
        await new Promise<void>((resolve) => {
          const stop = () => resolve();
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        out.info('Stopping…');
        await server.stop();
      } finally {
        await custos.close();
      }
    });
}
