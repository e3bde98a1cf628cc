/**
 * `custos case ...` and `custos licence ...`: every case-handling step from the command line. Actions are taken as
 * a named user (`--as <email>`, principal via `cli`) so the lifecycle's roles apply; without --as the system
 * principal reads (queue, SLA) and runs the expiry job.
 */
import fs from 'node:fs';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { DomainError } from '../../domain/errors.ts';
import { APPLICATION_STATUSES, LICENCE_STATUSES, LICENCE_TYPES, type Principal } from '../../domain/model.ts';
import {
  answerInformationRequest,
  assignCase,
  computeCaseSla,
  getApplicationTransitions,
  getCaseDeadlines,
  listCases,
  requestInformation,
  transitionApplication,
} from '../../services/casework.service.ts';
import type { ServiceContext } from '../../services/context.ts';
import { decideApplication, getDecisionDocument, recordAppeal } from '../../services/decisions.service.ts';
import {
  amendLicence,
  expireLicences,
  flagLicenceForReview,
  getLicence,
  getLicenceUsage,
  listLicences,
  reportLicenceUsage,
  transitionLicence,
} from '../../services/licences.service.ts';
import type { CliContext } from '../context.ts';
import { principalFor } from '../principal.ts';

const positiveInt = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive whole number');
  return n;
};

function readJsonFile(file: string): unknown {
  if (!fs.existsSync(file)) throw new DomainError('NOT_FOUND', `No file ${file}.`);
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new DomainError('INVALID', `${file}: ${(e as Error).message}`, {
      issues: [{ path: file, message: 'not JSON' }],
    });
  }
}

const AS = ['--as <email>', 'act as this user (officer or exporter); the lifecycle checks its role'] as const;
const VERSION = [
  '--expected-version <n>',
  'the record version you read (optimistic concurrency)',
  positiveInt,
] as const;

export function registerCaseworkCommands(program: Command, cli: CliContext): void {
  const run = <T>(
    name: string,
    as: string | undefined,
    fn: (ctx: ServiceContext, actor: Principal) => Promise<T>,
  ) => cli.withCustos(name, async ({ ctx }) => fn(ctx, await principalFor(ctx, as)));

  const kase = program
    .command('case')
    .description('Case handling: queue, transitions, information requests, decisions');
  kase
    .command('list')
    .description("The officers' queue")
    .addOption(new Option('--status <status>').choices([...APPLICATION_STATUSES]))
    .option('--destination <XX>', 'ISO 3166-1 alpha-2 destination')
    .addOption(new Option('--licence-type <type>').choices([...LICENCE_TYPES]))
    .option('--assigned <officer-id>', 'cases assigned to this officer')
    .option('--unassigned', 'only unassigned cases')
    .option('--overdue', 'only cases with an overdue deadline')
    .option('--limit <n>', 'page size', positiveInt, 50)
    .option(...AS)
    .option('--json', 'machine-readable output')
    .action(
      async (opts: {
        status?: (typeof APPLICATION_STATUSES)[number];
        destination?: string;
        licenceType?: (typeof LICENCE_TYPES)[number];
        assigned?: string;
        unassigned?: boolean;
        overdue?: boolean;
        limit: number;
        as?: string;
        json?: boolean;
      }) => {
        const out = cli.output(!!opts.json);
        const page = await run('custos case list', opts.as, (ctx, actor) =>
          listCases(ctx, actor, {
            limit: opts.limit,
            ...(opts.status && { status: opts.status }),
            ...(opts.destination && { destination: opts.destination }),
            ...(opts.licenceType && { licenceType: opts.licenceType }),
            ...(opts.assigned && { assignedOfficerId: opts.assigned }),
            ...(opts.unassigned && { unassigned: 'true' as const }),
            ...(opts.overdue && { overdue: 'true' as const }),
          }),
        );
        out.result(page, () =>
          [
            `${page.total} case(s)`,
            ...page.items.map(
              (c) =>
                `${c.reference}  ${c.status.padEnd(24)} ${c.destinationCountry} ${c.licenceType.padEnd(24)} due ${c.nextDueOn ?? '-'}${c.overdue ? ' OVERDUE' : ''}  ${c.id}`,
            ),
          ].join('\n'),
        );
      },
    );
  kase
    .command('show <applicationId>')
    .description('Status, possible transitions, history and deadlines of a case')
    .option(...AS)
    .option('--json', 'machine-readable output')
    .action(async (id: string, opts: { as?: string; json?: boolean }) => {
      const out = cli.output(!!opts.json);
      const data = await run('custos case show', opts.as, async (ctx, actor) => ({
        ...(await getApplicationTransitions(ctx, actor, id)),
        deadlines: await getCaseDeadlines(ctx, actor, id),
      }));
      out.result(data, () =>
        [
          `Status ${data.status} (version ${data.version}; policy ${data.policyVersion})`,
          `You can move it to: ${data.available.map((a) => a.to).join(', ') || 'nothing'}`,
          'History:',
          ...data.history.map(
            (h) => `  ${h.at} ${h.fromStatus ?? '-'} -> ${h.toStatus}${h.reason ? `: ${h.reason}` : ''}`,
          ),
          'Deadlines:',
          ...data.deadlines.map(
            (d) =>
              `  ${d.kind} (${d.who}) ${d.workingDays} working days from ${d.startedOn}: due ${d.dueOn}${d.open ? (d.overdue ? ' OVERDUE' : ` (${d.remainingWorkingDays} left)`) : ' closed'}`,
          ),
        ].join('\n'),
      );
    });
  kase
    .command('transition <applicationId>')
    .description(
      'Move a case along the lifecycle (refused with the reason when the role, state or a guard says no)',
    )
    .addOption(new Option('--to <status>').choices([...APPLICATION_STATUSES]).makeOptionMandatory())
    .option('--reason <text>', 'reason (required for some transitions)')
    .requiredOption(...VERSION)
    .option(...AS)
    .option('--json', 'machine-readable output')
    .action(
      async (
        id: string,
        opts: {
          to: (typeof APPLICATION_STATUSES)[number];
          reason?: string;
          expectedVersion: number;
          as?: string;
          json?: boolean;
        },
      ) => {
        const out = cli.output(!!opts.json);
        const app = await run('custos case transition', opts.as, (ctx, actor) =>
          transitionApplication(ctx, actor, id, {
            to: opts.to,
            expectedVersion: opts.expectedVersion,
            ...(opts.reason && { reason: opts.reason }),
          }),
        );
        out.result(app, `${app.reference} is now ${app.status} (version ${app.version}).`);
      },
    );
  kase
    .command('assign <applicationId>')
    .description('Assign a case to an officer (--officer none to unassign)')
    .requiredOption('--officer <user-id>', "the officer's user id, or none")
    .requiredOption(...VERSION)
    .option(...AS)
    .option('--json', 'machine-readable output')
    .action(
      async (id: string, opts: { officer: string; expectedVersion: number; as?: string; json?: boolean }) => {
        const out = cli.output(!!opts.json);
        const c = await run('custos case assign', opts.as, (ctx, actor) =>
          assignCase(ctx, actor, id, {
            officerId: opts.officer === 'none' ? null : opts.officer,
            expectedVersion: opts.expectedVersion,
          }),
        );
        out.result(c, `${c.reference} assigned to ${c.assignedOfficerId ?? 'nobody'}.`);
      },
    );
  kase
    .command('sla')
    .description('Processing-time figures (share decided within 20 and 60 working days, median, overdue)')
    .option('--as-of <date>', 'YYYY-MM-DD (default today)')
    .option('--pause-for-information-requests', 'stop the clock while information is requested')
    .option(...AS)
    .option('--json', 'machine-readable output')
    .action(
      async (opts: { asOf?: string; pauseForInformationRequests?: boolean; as?: string; json?: boolean }) => {
        const out = cli.output(!!opts.json);
        const sla = await run('custos case sla', opts.as, (ctx, actor) =>
          computeCaseSla(ctx, actor, {
            ...(opts.asOf && { asOf: opts.asOf }),
            ...(opts.pauseForInformationRequests && { pauseForInformationRequests: 'true' as const }),
          }),
        );
        out.result(sla, () =>
          [
            `As of ${sla.asOf} (${sla.calendarId}): ${sla.decidedCount} decided, ${sla.withdrawnCount} withdrawn, ${sla.openCount} open`,
            ...sla.withinTargets.map(
              (t) =>
                `  within ${t.workingDays} working days: ${t.count} (${t.share01 === null ? 'n/a' : `${Math.round(t.share01 * 100)}%`})`,
            ),
            `  median: ${sla.medianWorkingDays ?? 'n/a'} working days; overdue open cases: ${sla.overdue.length}`,
            sla.method,
          ].join('\n'),
        );
      },
    );
  kase
    .command('request-info <applicationId>')
    .description('Ask the exporter questions (the case moves to information_requested)')
    .requiredOption('--question <text...>', 'one or more questions')
    .option('--working-days <n>', 'deadline in working days (default: policy, 20)', positiveInt)
    .requiredOption(...VERSION)
    .option(...AS)
    .option('--json', 'machine-readable output')
    .action(
      async (
        id: string,
        opts: {
          question: string[];
          workingDays?: number;
          expectedVersion: number;
          as?: string;
          json?: boolean;
        },
      ) => {
        const out = cli.output(!!opts.json);
        const r = await run('custos case request-info', opts.as, (ctx, actor) =>
          requestInformation(ctx, actor, id, {
            questions: opts.question,
            expectedVersion: opts.expectedVersion,
            ...(opts.workingDays && { workingDays: opts.workingDays }),
          }),
        );
        out.result(r, `Request ${r.id}: ${r.questions.length} question(s), answer due ${r.dueOn}.`);
      },
    );
  kase
    .command('answer <applicationId> <requestId>')
    .description('Answer an information request (as the exporter)')
    .requiredOption('--answer <text>', 'the answer')
    .option('--document <id...>', 'documents already attached to the application')
    .option(...AS)
    .option('--json', 'machine-readable output')
    .action(
      async (
        id: string,
        requestId: string,
        opts: { answer: string; document?: string[]; as?: string; json?: boolean },
      ) => {
        const out = cli.output(!!opts.json);
        const r = await run('custos case answer', opts.as, (ctx, actor) =>
          answerInformationRequest(ctx, actor, id, requestId, {
            answer: opts.answer,
            documentIds: opts.document ?? [],
          }),
        );
        out.result(r, `Request ${r.id} is ${r.status}.`);
      },
    );
  kase
    .command('decide <applicationId>')
    .description(
      'Record the decision (officer) from a JSON file shaped as POST /api/applications/{id}/decision',
    )
    .requiredOption(
      '--file <decision.json>',
      'outcome, legalBasis, criteria, rightsEngaged, reasons, conditions, evidence, licence, expectedVersion',
    )
    .option(...AS)
    .option('--json', 'machine-readable output')
    .action(async (id: string, opts: { file: string; as?: string; json?: boolean }) => {
      const out = cli.output(!!opts.json);
      const body = readJsonFile(opts.file) as Parameters<typeof decideApplication>[3];
      const d = await run('custos case decide', opts.as, (ctx, actor) =>
        decideApplication(ctx, actor, id, body),
      );
      out.result(
        d,
        `Decision ${d.reference}: ${d.outcome}${d.licence ? `; licence ${d.licence.licenceNumber} valid until ${d.licence.validUntil ?? 'open'}` : ''}; appeal deadline ${d.appealDeadline}.`,
      );
    });
  kase
    .command('document <applicationId>')
    .description('Write the reasoned decision document (HTML or PDF) to a file')
    .addOption(new Option('--format <format>').choices(['html', 'pdf']).default('pdf'))
    .requiredOption('--out <file>', 'where to write it')
    .option(...AS)
    .option('--json', 'machine-readable output')
    .action(
      async (id: string, opts: { format: 'html' | 'pdf'; out: string; as?: string; json?: boolean }) => {
        const out = cli.output(!!opts.json);
        const doc = await run('custos case document', opts.as, (ctx, actor) =>
          getDecisionDocument(ctx, actor, id, opts.format),
        );
        fs.writeFileSync(opts.out, doc.content);
        out.result({ file: opts.out, mediaType: doc.mediaType }, `Wrote ${opts.out} (${doc.mediaType}).`);
      },
    );
  kase
    .command('appeal <applicationId>')
    .description('Record an appeal against the decision')
    .requiredOption('--lodged-on <date>', 'YYYY-MM-DD')
    .requiredOption('--grounds <text>', 'grounds of appeal')
    .option(...AS)
    .option('--json', 'machine-readable output')
    .action(async (id: string, opts: { lodgedOn: string; grounds: string; as?: string; json?: boolean }) => {
      const out = cli.output(!!opts.json);
      const a = await run('custos case appeal', opts.as, (ctx, actor) =>
        recordAppeal(ctx, actor, id, { lodgedOn: opts.lodgedOn, grounds: opts.grounds }),
      );
      out.result(
        a,
        `Appeal ${a.id} lodged on ${a.lodgedOn}${a.late ? ` (LATE: deadline ${a.deadline})` : ''}.`,
      );
    });

  const licence = program.command('licence').description('Licences: status, amendments, usage, expiry');
  licence
    .command('list')
    .description('List licences')
    .addOption(new Option('--status <status>').choices([...LICENCE_STATUSES]))
    .option(...AS)
    .option('--json', 'machine-readable output')
    .action(async (opts: { status?: (typeof LICENCE_STATUSES)[number]; as?: string; json?: boolean }) => {
      const out = cli.output(!!opts.json);
      const page = await run('custos licence list', opts.as, (ctx, actor) =>
        listLicences(ctx, actor, { limit: 200, ...(opts.status && { status: opts.status }) }),
      );
      out.result(page, () =>
        [
          `${page.total} licence(s)`,
          ...page.items.map(
            (l) =>
              `${l.licenceNumber}  ${l.status.padEnd(10)} ${l.licenceType.padEnd(24)} ${l.validFrom}..${l.validUntil ?? 'open'}  ${l.id}`,
          ),
        ].join('\n'),
      );
    });
  licence
    .command('show <licenceId>')
    .description('A licence with its usage')
    .option(...AS)
    .option('--json', 'machine-readable output')
    .action(async (id: string, opts: { as?: string; json?: boolean }) => {
      const out = cli.output(!!opts.json);
      const data = await run('custos licence show', opts.as, async (ctx, actor) => ({
        licence: await getLicence(ctx, actor, id),
        usage: await getLicenceUsage(ctx, actor, id),
      }));
      out.result(data, () =>
        [
          `${data.licence.licenceNumber} ${data.licence.status} (version ${data.licence.version}) valid ${data.licence.validFrom}..${data.licence.validUntil ?? 'open'}${data.licence.postLicenceReview ? ' REVIEW' : ''}`,
          ...data.usage.lines.map(
            (l) =>
              `  line ${l.lineNo}: used ${l.usedQuantity} / EUR ${l.usedValueEur}; remaining ${l.remainingQuantity} / EUR ${l.remainingValueEur}`,
          ),
        ].join('\n'),
      );
    });
  licence
    .command('transition <licenceId>')
    .description('Suspend, reinstate (--to active), revoke, annul, expire or exhaust a licence')
    .addOption(new Option('--to <status>').choices([...LICENCE_STATUSES]).makeOptionMandatory())
    .option('--reason <text>', 'reason')
    .option('--member-states-notified', 'the Art 16(1) notification to the other Member States is prepared')
    .requiredOption(...VERSION)
    .option(...AS)
    .option('--json', 'machine-readable output')
    .action(
      async (
        id: string,
        opts: {
          to: (typeof LICENCE_STATUSES)[number];
          reason?: string;
          memberStatesNotified?: boolean;
          expectedVersion: number;
          as?: string;
          json?: boolean;
        },
      ) => {
        const out = cli.output(!!opts.json);
        const l = await run('custos licence transition', opts.as, (ctx, actor) =>
          transitionLicence(ctx, actor, id, {
            to: opts.to,
            expectedVersion: opts.expectedVersion,
            ...(opts.reason && { reason: opts.reason }),
            ...(opts.memberStatesNotified && { memberStatesNotified: true }),
          }),
        );
        out.result(l, `${l.licenceNumber} is now ${l.status}.`);
      },
    );
  licence
    .command('amend <licenceId>')
    .description('Amend a licence (officer); kinds from policy/workflow/licence-types.yaml amendments')
    .requiredOption('--kind <kind>', 'e.g. extend_validity, correct_clerical_error')
    .option('--new-valid-until <date>', 'YYYY-MM-DD (extend_validity)')
    .requiredOption('--reason <text>', 'reason')
    .requiredOption(...VERSION)
    .option(...AS)
    .option('--json', 'machine-readable output')
    .action(
      async (
        id: string,
        opts: {
          kind: string;
          newValidUntil?: string;
          reason: string;
          expectedVersion: number;
          as?: string;
          json?: boolean;
        },
      ) => {
        const out = cli.output(!!opts.json);
        const r = await run('custos licence amend', opts.as, (ctx, actor) =>
          amendLicence(ctx, actor, id, {
            kind: opts.kind,
            reason: opts.reason,
            expectedVersion: opts.expectedVersion,
            ...(opts.newValidUntil && { newValidUntil: opts.newValidUntil }),
          }),
        );
        out.result(r, `Amended (${r.amendment.effect}): ${r.amendment.reasons.join(' ')}`);
      },
    );
  licence
    .command('report-usage <licenceId>')
    .description(
      'Report exports under the licence from a JSON file: [{ lineNo, quantity, valueEur, shippedOn, reference }]',
    )
    .requiredOption('--file <entries.json>', 'the entries')
    .option(...AS)
    .option('--json', 'machine-readable output')
    .action(async (id: string, opts: { file: string; as?: string; json?: boolean }) => {
      const out = cli.output(!!opts.json);
      const entries = readJsonFile(opts.file) as Parameters<typeof reportLicenceUsage>[3]['entries'];
      const u = await run('custos licence report-usage', opts.as, (ctx, actor) =>
        reportLicenceUsage(ctx, actor, id, { entries }),
      );
      out.result(u, `Recorded; licence ${u.status}${u.exhausted ? ' (used up)' : ''}.`);
    });
  licence
    .command('review <licenceId>')
    .description('Flag a licence for post-licence review (officer)')
    .requiredOption('--reason <text>', 'why')
    .requiredOption(...VERSION)
    .option(...AS)
    .option('--json', 'machine-readable output')
    .action(
      async (id: string, opts: { reason: string; expectedVersion: number; as?: string; json?: boolean }) => {
        const out = cli.output(!!opts.json);
        const l = await run('custos licence review', opts.as, (ctx, actor) =>
          flagLicenceForReview(ctx, actor, id, {
            reason: opts.reason,
            expectedVersion: opts.expectedVersion,
          }),
        );
        out.result(l, `${l.licenceNumber} flagged for review.`);
      },
    );
  licence
    .command('expire')
    .description('Expire every licence whose validity has ended (what the casework.expire-licences job does)')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      const out = cli.output(!!opts.json);
      const r = await cli.withCustos('custos licence expire', ({ ctx }) => expireLicences(ctx));
      out.result(r, `${r.expired.length} licence(s) expired.`);
    });
}
