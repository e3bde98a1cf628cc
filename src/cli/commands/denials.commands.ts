/** `custos denials`, `custos catch-all` and `custos records`: Art 16 denials, Art 5 catch-all and Art 27 records. */
import fs from 'node:fs';
import { Option, type Command } from 'commander';
import { DomainError } from '../../domain/errors.ts';
import { systemPrincipal } from '../../domain/model.ts';
import {
  issueCatchAllNotice,
  listCatchAllNotices,
  listCatchAllPublications,
  matchApplicationCatchAll,
  openNoticeConsultation,
  publishCatchAllEntry,
  updateNoticeConsultation,
} from '../../services/catch-all.service.ts';
import {
  checkApplicationAgainstDenials,
  exportDenialRegister,
  importDenialExchange,
  listDenials,
} from '../../services/denials.service.ts';
import {
  applyRetention,
  exportOrganisationRecords,
  exportOrganisationRecordsZip,
} from '../../services/records.service.ts';
import { migrateCustos } from '../../main.ts';
import type { CliContext } from '../context.ts';

const cliActor = systemPrincipal('cli');

function readText(file: string): string {
  if (!fs.existsSync(file)) throw new DomainError('NOT_FOUND', `No file ${file}.`);
  return fs.readFileSync(file, 'utf8');
}

function readJson(file: string): unknown {
  const text = readText(file);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new DomainError('INVALID', `${file} is not valid JSON: ${(e as Error).message}`, {
      issues: [{ path: file, message: 'not JSON' }],
    });
  }
}

export function registerDenialCommands(program: Command, cli: CliContext): void {
  const run = <T>(name: string, fn: (ctx: Parameters<typeof listDenials>[0]) => Promise<T>) =>
    cli.withCustos(name, async (custos) => {
      await migrateCustos(custos);
      return fn(custos.ctx);
    });

  const denials = program.command('denials').description('The Art 16 denial register and its exchange file');
  denials
    .command('list')
    .description('List denials (own and received) with status and review date')
    .option('--origin <own|received>', 'only own or received denials')
    .option('--status <in_force|revoked|expired>', 'only this status')
    .option('--json', 'machine-readable output')
    .action(
      async (opts: {
        origin?: 'own' | 'received';
        status?: 'in_force' | 'revoked' | 'expired';
        json?: boolean;
      }) => {
        const out = cli.output(!!opts.json);
        const rows = await run('custos denials list', (ctx) =>
          listDenials(ctx, cliActor, {
            ...(opts.origin && { origin: opts.origin }),
            ...(opts.status && { status: opts.status }),
          }),
        );
        out.result(rows, () =>
          rows.length === 0
            ? 'No denials.'
            : rows
                .map(
                  (d) =>
                    `${d.notifyingMemberState} ${d.reference}  ${d.origin}  ${d.status}  denied ${d.deniedOn}  review ${d.reviewDueOn}${d.reviewOverdue ? ' (overdue)' : ''}  ${d.destinationCountry}  ${d.parties.map((p) => p.name).join('; ')}`,
                )
                .join('\n'),
        );
      },
    );
  denials
    .command('export <file>')
    .description('Write the register as a custos.denial-exchange file with its SHA-256 checksum')
    .option('--include-received', 'also export denials received from other Member States')
    .option('--json', 'machine-readable output')
    .action(async (file: string, opts: { includeReceived?: boolean; json?: boolean }) => {
      const out = cli.output(!!opts.json);
      const r = await run('custos denials export', (ctx) =>
        exportDenialRegister(ctx, cliActor, { includeReceived: !!opts.includeReceived }),
      );
      fs.writeFileSync(file, r.text);
      out.result({ file, denials: r.count }, `Wrote ${r.count} denial(s) to ${file}.`);
    });
  denials
    .command('import <file>')
    .description(
      "Import another Member State's exchange file; a bad checksum or schema refuses the whole file",
    )
    .option('--json', 'machine-readable output')
    .action(async (file: string, opts: { json?: boolean }) => {
      const out = cli.output(!!opts.json);
      const text = readText(file);
      const r = await run('custos denials import', (ctx) => importDenialExchange(ctx, cliActor, text));
      out.result(
        r,
        `Imported ${r.denials} denial(s) from ${r.exportingAuthority.name} (${r.exportingAuthority.memberState}): ${r.created} new, ${r.updated} updated; checksum ${r.checksum}.`,
      );
    });
  denials
    .command('check <applicationId>')
    .description('Check an application for essentially identical transactions against denials in force')
    .option('--json', 'machine-readable output')
    .action(async (applicationId: string, opts: { json?: boolean }) => {
      const out = cli.output(!!opts.json);
      const r = await run('custos denials check', (ctx) =>
        checkApplicationAgainstDenials(ctx, cliActor, applicationId),
      );
      out.result(r, () =>
        [
          `Compared with ${r.denialsCompared} denial(s) in force: ${r.matches.length} match(es).`,
          ...r.matches.flatMap((m) => [
            `  ${m.notifyingMemberState} ${m.reference}: ${m.strength}`,
            ...m.reasons.map((x) => `    ${x}`),
          ]),
        ].join('\n'),
      );
    });

  const catchAll = program
    .command('catch-all')
    .description('Art 5 catch-all: notices, consultations, published list');
  catchAll
    .command('notices')
    .description('List Art 5 notices and notifications of awareness')
    .option('--organisation <id>', 'only this exporter')
    .option('--json', 'machine-readable output')
    .action(async (opts: { organisation?: string; json?: boolean }) => {
      const out = cli.output(!!opts.json);
      const rows = await run('custos catch-all notices', (ctx) =>
        listCatchAllNotices(ctx, cliActor, opts.organisation ? { organisationId: opts.organisation } : {}),
      );
      out.result(rows, () =>
        rows.length === 0
          ? 'No notices.'
          : rows
              .map(
                (n) =>
                  `${n.reference}  ${n.legalBasis}  ${n.status}  ${n.datedOn}  ${n.destinationCountry}  ${n.organisationId}`,
              )
              .join('\n'),
      );
    });
  catchAll
    .command('notice <file.json>')
    .description(
      'Issue an Art 5(1)/(3) notice from a JSON file (organisationId, items, destinationCountry, grounds, ...)',
    )
    .option('--json', 'machine-readable output')
    .action(async (file: string, opts: { json?: boolean }) => {
      const out = cli.output(!!opts.json);
      const input = readJson(file);
      const n = await run('custos catch-all notice', (ctx) =>
        issueCatchAllNotice(ctx, cliActor, input as never),
      );
      out.result(n, () =>
        [
          `Issued ${n.reference} (${n.legalBasis}).`,
          ...n.duties.map((d) => `  Duty: ${(d as { text: string }).text}`),
        ].join('\n'),
      );
    });
  catchAll
    .command('consult <noticeId>')
    .description('Inform and consult the other Member States on a notice (30 working days, unverified)')
    .requiredOption('--member-states <XX,YY>', 'comma-separated ISO codes')
    .option('--json', 'machine-readable output')
    .action(async (noticeId: string, opts: { memberStates: string; json?: boolean }) => {
      const out = cli.output(!!opts.json);
      const memberStates = opts.memberStates
        .split(',')
        .map((m) => m.trim().toUpperCase())
        .filter(Boolean);
      const c = await run('custos catch-all consult', (ctx) =>
        openNoticeConsultation(ctx, cliActor, noticeId, { memberStates }),
      );
      out.result(c, `Consultation ${c.id}: ${c.memberStates.join(', ')} answer by ${c.dueOn}.`);
    });
  catchAll
    .command('respond <consultationId>')
    .description("Record a Member State's answer to a consultation")
    .requiredOption('--member-state <XX>', 'who answered')
    .requiredOption('--version <n>', "the consultation's version", (v) => Number(v))
    .option('--disagrees', 'the Member State does not agree (default: agrees)')
    .option('--note <text>', 'what it said')
    .option('--json', 'machine-readable output')
    .action(
      async (
        id: string,
        opts: { memberState: string; version: number; disagrees?: boolean; note?: string; json?: boolean },
      ) => {
        const out = cli.output(!!opts.json);
        const c = await run('custos catch-all respond', (ctx) =>
          updateNoticeConsultation(ctx, cliActor, id, {
            action: 'respond',
            memberState: opts.memberState.toUpperCase(),
            agrees: !opts.disagrees,
            version: opts.version,
            ...(opts.note && { note: opts.note }),
          }),
        );
        out.result(c, c.assessment.reasons.join('\n'));
      },
    );
  catchAll
    .command('publish <file.json>')
    .description(
      'Record a publication (consultationId, ojReference, publishedOn, itemDescription, keywords, ...); needs unanimity',
    )
    .option('--json', 'machine-readable output')
    .action(async (file: string, opts: { json?: boolean }) => {
      const out = cli.output(!!opts.json);
      const input = readJson(file);
      const p = await run('custos catch-all publish', (ctx) =>
        publishCatchAllEntry(ctx, cliActor, input as never),
      );
      out.result(p, `Recorded ${p.ojReference} of ${p.publishedOn}; review due ${p.reviewDueOn}.`);
    });
  catchAll
    .command('publications')
    .description('The published catch-all list')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      const out = cli.output(!!opts.json);
      const rows = await run('custos catch-all publications', (ctx) => listCatchAllPublications(ctx));
      out.result(rows, () =>
        rows.length === 0
          ? 'Nothing published.'
          : rows.map((p) => `${p.ojReference}  ${p.publishedOn}  ${p.itemDescription}`).join('\n'),
      );
    });
  catchAll
    .command('match <applicationId>')
    .description('Which published entries and Art 5 notices apply to an application, with reasons')
    .option('--json', 'machine-readable output')
    .action(async (applicationId: string, opts: { json?: boolean }) => {
      const out = cli.output(!!opts.json);
      const r = await run('custos catch-all match', (ctx) =>
        matchApplicationCatchAll(ctx, cliActor, applicationId),
      );
      out.result(r, () =>
        [
          ...r.reasons,
          ...r.published.flatMap((m) => m.reasons.map((x) => `  ${x}`)),
          ...r.notices.flatMap((n) => n.reasons.map((x) => `  ${x}`)),
        ].join('\n'),
      );
    });

  const records = program.command('records').description('Art 27 record keeping: export and retention');
  records
    .command('export <organisationId> <file>')
    .description(
      'Write every record of one exporter: a zip (manifest.json, stored documents, SHA256SUMS) or, with --format json, a JSON bundle with a SHA-256 checksum',
    )
    .addOption(new Option('--format <format>', 'zip or json').choices(['zip', 'json']).default('zip'))
    .option('--json', 'machine-readable output')
    .action(async (organisationId: string, file: string, opts: { format: string; json?: boolean }) => {
      const out = cli.output(!!opts.json);
      if (opts.format === 'zip') {
        const zip = await run('custos records export', (ctx) =>
          exportOrganisationRecordsZip(ctx, cliActor, organisationId),
        );
        fs.writeFileSync(file, zip.bytes);
        out.result(
          {
            file,
            format: 'zip',
            sha256: zip.sha256,
            manifestChecksum: zip.manifestChecksum,
            files: zip.files,
          },
          `Wrote ${file}: ${zip.files} file(s) (manifest.json, documents, SHA256SUMS); sha256 ${zip.sha256}.`,
        );
        return;
      }
      const bundle = await run('custos records export', (ctx) =>
        exportOrganisationRecords(ctx, cliActor, organisationId),
      );
      fs.writeFileSync(file, `${JSON.stringify(bundle, null, 2)}\n`);
      const count = (k: string) => (Array.isArray(bundle[k]) ? (bundle[k] as unknown[]).length : 0);
      out.result(
        {
          file,
          checksum: bundle.checksum,
          applications: count('applications'),
          auditEvents: count('auditEvents'),
        },
        `Wrote ${file}: ${count('applications')} application(s), ${count('documents')} document(s), ${count('auditEvents')} audit event(s).`,
      );
    });
  records
    .command('retention')
    .description('List records past retention (dry run); --purge deletes them (audited)')
    .option('--as-of <YYYY-MM-DD>', 'the date to judge retention on (default today)')
    .option(
      '--years <n>',
      'one retention period for every kind (default: policy/workflow/record-kinds.yaml)',
      (v) => Number(v),
    )
    .option('--purge', 'delete the records listed')
    .option('--json', 'machine-readable output')
    .action(async (opts: { asOf?: string; years?: number; purge?: boolean; json?: boolean }) => {
      const out = cli.output(!!opts.json);
      const r = await run('custos records retention', (ctx) =>
        applyRetention(ctx, systemPrincipal('cli'), {
          dryRun: !opts.purge,
          ...(opts.asOf && { asOf: opts.asOf }),
          ...(opts.years !== undefined && { years: opts.years }),
        }),
      );
      out.result(r, () =>
        [
          `${r.candidates.length} record(s) past retention as of ${r.asOf}${r.dryRun ? ' (dry run)' : ''}.`,
          ...r.candidates.map((c) => `  ${c.recordType} ${c.reference}: ${c.reason}`),
          r.dryRun
            ? ''
            : `Purged: ${r.purged.applications} application(s), ${r.purged.denials} denial(s), ${r.purged.catchAllNotices} notice(s).`,
          ...r.notes,
        ]
          .filter(Boolean)
          .join('\n'),
      );
    });
}
