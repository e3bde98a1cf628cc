/** The `custos` command line: parses arguments, runs one command, maps errors to exit codes. */
import { Command, CommanderError } from 'commander';
import { loadConfig } from '../config.ts';
import { isUuid } from '../domain/codes.ts';
import { invalid } from '../domain/errors.ts';
import { openCustos } from '../main.ts';
import { registerAdminCommands } from './commands/admin.commands.ts';
import { registerAssessmentCommands } from './commands/assessment.commands.ts';
import { registerCaseworkCommands } from './commands/casework.commands.ts';
import { registerEvidenceCommands } from './commands/evidence.commands.ts';
import { registerClassificationCommands } from './commands/classification.commands.ts';
import { registerDenialCommands } from './commands/denials.commands.ts';
import { registerListCommands } from './commands/lists.commands.ts';
import { registerNotificationCommands } from './commands/notifications.commands.ts';
import { registerReportCommands } from './commands/report.commands.ts';
import { registerScreeningCommands } from './commands/screening.commands.ts';
import { registerScreeningRunCommands } from './commands/screening-runs.commands.ts';
import { registerServeCommand } from './commands/serve.command.ts';
import type { CliContext } from './context.ts';
import { createOutput, EXIT, reportError } from './output.ts';

export function buildProgram(cli: CliContext): Command {
  const program = new Command('custos')
    .description(
      'Custos: export control of cyber-surveillance items under Regulation (EU) 2021/821.\n' +
        'Configuration comes from the environment (see README: DATABASE_URL, CUSTOS_DATA_DIR, PORT, ...).',
    )
    .version('0.1.0')
    // `custos --version` is the program's; after a command, `--version <n>` is that command's own option (a record's
    // version, a control list's label), not a request for the program's version.
    .enablePositionalOptions()
    .showHelpAfterError('(run custos --help for usage)')
    .exitOverride()
    .hook('preAction', (_program, command) => checkIdArguments(command));
  registerServeCommand(program, cli);
  registerAdminCommands(program, cli);
  registerClassificationCommands(program, cli);
  registerListCommands(program, cli);
  registerScreeningCommands(program, cli);
  registerAssessmentCommands(program, cli);
  registerScreeningRunCommands(program, cli);
  registerDenialCommands(program, cli);
  registerNotificationCommands(program, cli);
  registerCaseworkCommands(program, cli);
  registerEvidenceCommands(program, cli);
  registerReportCommands(program, cli);
  return program;
}

/**
 * Every record is named by a UUID: an argument named `<somethingId>` that is not one is refused as invalid input
 * (exit 2) before the command runs, as the API refuses such a path, instead of reaching the database as a query.
 */
function checkIdArguments(command: Command): void {
  command.registeredArguments.forEach((argument, i) => {
    const name = argument.name();
    const value: unknown = command.processedArgs[i];
    if (!name.endsWith('Id') || value === undefined) return;
    for (const v of Array.isArray(value) ? value : [value]) {
      if (typeof v === 'string' && !isUuid(v)) {
        throw invalid(
          `${name} "${v.slice(0, 80)}" is not an id: ids are UUIDs, as the list commands print them.`,
          [{ path: name, message: 'a UUID' }],
        );
      }
    }
  });
}

/** Run the CLI with the given arguments; returns the exit code. */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const wantsJson = argv.includes('--json');
  const out = createOutput(wantsJson);
  try {
    const config = loadConfig(env);
    const cli: CliContext = {
      config,
      output: (json) => createOutput(json),
      async withCustos(command, fn) {
        const custos = await openCustos(config, command);
        try {
          return await fn(custos);
        } finally {
          await custos.close();
        }
      },
    };
    await buildProgram(cli).parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.OK;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? EXIT.OK : EXIT.INVALID;
    }
    if (e instanceof Error && e.message.startsWith('Invalid configuration')) {
      out.error(`custos: ${e.message}`);
      return EXIT.INVALID;
    }
    return reportError(out, e);
  }
}
