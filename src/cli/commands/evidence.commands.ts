/** `custos evidence submit|list|moderate`: the evidence registry from the command line (runs as staff). */
import fs from 'node:fs';
import { type Command, Option } from 'commander';
import { DomainError } from '../../domain/errors.ts';
import { systemPrincipal } from '../../domain/model.ts';
import {
  listEvidence,
  listPublicEvidence,
  moderateEvidence,
  recordEvidence,
  submitEvidence,
} from '../../services/evidence.service.ts';
import { migrateCustos } from '../../main.ts';
import type { CliContext } from '../context.ts';

function readJson(file: string): unknown {
  if (!fs.existsSync(file)) throw new DomainError('NOT_FOUND', `No file ${file}.`);
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new DomainError('INVALID', `${file} is not valid JSON: ${(e as Error).message}`);
  }
}

export function registerEvidenceCommands(program: Command, cli: CliContext): void {
  const evidence = program.command('evidence').description('The evidence registry: submit, list, moderate');
  const actor = systemPrincipal('cli');
  evidence
    .command('submit <evidence.json>')
    .description(
      'Submit a record for moderation (fields as POST /api/evidence); with --reliability it is entered as staff, accepted',
    )
    .addOption(
      new Option('--reliability <grade>', 'enter directly as accepted with this grade').choices([
        'high',
        'medium',
        'low',
      ]),
    )
    .option('--json', 'machine-readable output')
    .action(async (file: string, opts: { reliability?: 'high' | 'medium' | 'low'; json?: boolean }) => {
      const out = cli.output(!!opts.json);
      const raw = readJson(file) as Record<string, unknown>;
      const result = await cli.withCustos('custos evidence submit', async (custos) => {
        await migrateCustos(custos);
        return opts.reliability
          ? recordEvidence(custos.ctx, actor, { ...raw, reliability: opts.reliability })
          : submitEvidence(custos.ctx, actor, raw);
      });
      out.result(result, () => `Evidence ${result.id}: ${result.status}.`);
    });
  evidence
    .command('list')
    .description(
      'List the registry (staff view with the moderation queue), or --public for what the public sees',
    )
    .addOption(
      new Option('--status <status>', 'only this status').choices(['pending', 'accepted', 'rejected']),
    )
    .option('--public', 'only what the public sees: accepted, non-confidential, no submitter data')
    .option('--q <text>', 'search title and summary')
    .option('--country <ISO2>', 'tagged with this country')
    .option('--limit <n>', 'at most n records', '50')
    .option('--json', 'machine-readable output')
    .action(
      async (opts: {
        status?: string;
        public?: boolean;
        q?: string;
        country?: string;
        limit: string;
        json?: boolean;
      }) => {
        const out = cli.output(!!opts.json);
        const query = {
          ...(opts.q && { q: opts.q }),
          ...(opts.country && { country: opts.country.toUpperCase() }),
          limit: opts.limit,
        };
        const page = await cli.withCustos('custos evidence list', async (custos) => {
          await migrateCustos(custos);
          return opts.public
            ? listPublicEvidence(custos.ctx, query)
            : listEvidence(custos.ctx, actor, { ...query, ...(opts.status && { status: opts.status }) });
        });
        out.result(page, () =>
          page.items.length === 0
            ? 'No evidence matches.'
            : [
                ...page.items.map((e) => {
                  const staff = e as { status?: string; confidential?: boolean };
                  return `${e.id}  ${(staff.status ?? 'accepted').padEnd(8)} ${e.evidenceType.padEnd(26)} ${e.reliability.padEnd(10)} ${e.countries.join(',').padEnd(8)} ${staff.confidential ? '[confidential] ' : ''}${e.title}`;
                }),
                `${page.items.length} of ${page.total}`,
              ].join('\n'),
        );
      },
    );
  evidence
    .command('moderate <id>')
    .description('Accept a pending record with a reliability grade, or reject it with a note (audited)')
    .addOption(new Option('--accept', 'accept the record').conflicts('reject'))
    .addOption(new Option('--reject', 'reject the record'))
    .addOption(
      new Option('--reliability <grade>', 'grade (with --accept)').choices(['high', 'medium', 'low']),
    )
    .option('--confidential', 'keep the accepted record out of the public registry')
    .option('--note <text>', 'moderation note (required with --reject)')
    .requiredOption('--record-version <n>', 'the record version you read (optimistic concurrency)')
    .option('--json', 'machine-readable output')
    .action(
      async (
        id: string,
        opts: {
          accept?: boolean;
          reject?: boolean;
          reliability?: string;
          confidential?: boolean;
          note?: string;
          recordVersion: string;
          json?: boolean;
        },
      ) => {
        const out = cli.output(!!opts.json);
        if (!opts.accept && !opts.reject)
          throw new DomainError('INVALID', 'Say --accept (with --reliability) or --reject (with --note).', {
            issues: [{ path: 'decision', message: 'missing' }],
          });
        const body = opts.accept
          ? {
              decision: 'accept',
              version: Number(opts.recordVersion),
              reliability: opts.reliability,
              ...(opts.confidential && { confidential: true }),
              ...(opts.note && { note: opts.note }),
            }
          : { decision: 'reject', version: Number(opts.recordVersion), note: opts.note };
        const result = await cli.withCustos('custos evidence moderate', async (custos) => {
          await migrateCustos(custos);
          return moderateEvidence(custos.ctx, actor, id, body);
        });
        out.result(
          result,
          () => `Evidence ${result.id}: ${result.status} (${result.reliability}), version ${result.version}.`,
        );
      },
    );
}
