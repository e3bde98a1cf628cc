/** `custos assess` and `custos countries show`: the human-rights assessment from the command line. */
import fs from 'node:fs';
import { type Command, Option } from 'commander';
import { DomainError } from '../../domain/errors.ts';
import { systemPrincipal } from '../../domain/model.ts';
import { assessApplicationInput, countryProfile, renderMemo } from '../../services/assessment.service.ts';
import { createServiceContext } from '../../services/context.ts';
import {
  closeReassessmentProposal,
  listReassessmentProposals,
  renderStoredAssessmentMemo,
  requestReassessment,
  runApplicationAssessment,
} from '../../services/assessments.service.ts';
import { migrateCustos } from '../../main.ts';
import type { CliContext } from '../context.ts';
import { AS_OPTION, principalFor } from '../principal.ts';

export function registerAssessmentCommands(program: Command, cli: CliContext): void {
  // These commands read policy and reference files only: no database is opened (so they run while a server does).
  const ctx = () => createServiceContext(undefined as never, cli.config);
  program
    .command('assess [application.json]')
    .description(
      'Assess an application against the Charter, Common Position criteria 2 and 7 and Art. 5 (format: policy/assessment/assessment-input.schema.json)',
    )
    .option('--memo <file.html>', 'also write the reasoned memo (HTML) an officer can attach to a decision')
    .addOption(new Option('--lang <lang>', 'memo language').choices(['en', 'fr', 'de']).default('en'))
    .option('--json', 'the full assessment as JSON')
    .option('--registry', 'also use the accepted evidence of the registry (opens the database)')
    .option('--application <ref>', 'assess a submitted application stored in the database (id or reference)')
    .option('--store', 'with --application: store the result as a new revision (history kept)')
    .option(
      '--supplement <file.json>',
      'with --application: due diligence, screening hits, capabilities per line',
    )
    .option('--memo-pdf <file.pdf>', 'with --application --store: also write the PDF memo')
    .action(
      async (
        file: string | undefined,
        opts: {
          memo?: string;
          lang: 'en' | 'fr' | 'de';
          json?: boolean;
          registry?: boolean;
          application?: string;
          store?: boolean;
          supplement?: string;
          memoPdf?: string;
        },
      ) => {
        const out = cli.output(!!opts.json);
        if (opts.application) {
          if (!opts.store)
            throw new DomainError(
              'INVALID',
              'With --application, say --store: the result is stored as a revision.',
              {
                issues: [{ path: 'store', message: 'required with --application' }],
              },
            );
          const supplement: unknown = opts.supplement
            ? JSON.parse(fs.readFileSync(opts.supplement, 'utf8'))
            : {};
          const stored = await cli.withCustos('custos assess', async (custos) => {
            await migrateCustos(custos);
            const v = await runApplicationAssessment(
              custos.ctx,
              systemPrincipal('cli'),
              opts.application!,
              supplement,
            );
            if (opts.memo)
              fs.writeFileSync(
                opts.memo,
                (
                  await renderStoredAssessmentMemo(
                    custos.ctx,
                    systemPrincipal('cli'),
                    v.id,
                    'html',
                    opts.lang,
                  )
                ).body,
              );
            if (opts.memoPdf)
              fs.writeFileSync(
                opts.memoPdf,
                (await renderStoredAssessmentMemo(custos.ctx, systemPrincipal('cli'), v.id, 'pdf')).body,
              );
            return v;
          });
          const a = stored.assessment;
          out.result(stored, () =>
            [
              `Stored revision ${stored.revision} of ${a.applicationId}: ${a.recommendation.toUpperCase()} (confidence ${a.confidence01.toFixed(2)})`,
              `  Evidence used: ${stored.evidenceIds.length ? stored.evidenceIds.join(', ') : 'none'}`,
              `  Model ${stored.modelVersion}; reference ${stored.referenceVersion}; input ${stored.inputHash}`,
              a.unverifiedRules.length ? `  Relies on ${a.unverifiedRules.length} unverified rule(s)` : '',
            ]
              .filter(Boolean)
              .join('\n'),
          );
          return;
        }
        if (!file)
          throw new DomainError('INVALID', 'Give an application file, or --application <ref> --store.', {
            issues: [{ path: 'application.json', message: 'missing' }],
          });
        if (!fs.existsSync(file)) throw new DomainError('NOT_FOUND', `No file ${file}.`);
        let raw: unknown;
        try {
          raw = JSON.parse(fs.readFileSync(file, 'utf8'));
        } catch (e) {
          throw new DomainError('INVALID', `${file} is not valid JSON: ${(e as Error).message}`);
        }
        const {
          assessment: a,
          reference,
          registry,
        } = opts.registry
          ? await cli.withCustos('custos assess', async (custos) => {
              await migrateCustos(custos);
              return assessApplicationInput(custos.ctx, systemPrincipal('cli'), raw);
            })
          : await assessApplicationInput(ctx(), systemPrincipal('cli'), raw);
        if (opts.memo) fs.writeFileSync(opts.memo, renderMemo(a, opts.lang));
        out.result({ assessment: a, reference, registry }, () =>
          [
            `Recommendation: ${a.recommendation.toUpperCase()} (confidence ${a.confidence}, ${a.confidence01.toFixed(2)})  destination ${a.destination}, profile ${a.profile}`,
            ...a.prohibitions.map(
              (p) =>
                `  PROHIBITED: ${p.measureId} (${p.legalActs.join('; ')})${p.verified ? '' : ' [unverified]'}`,
            ),
            `  Criterion 2 (internal repression): ${a.criterion2.level}${a.criterion2.clearRisk ? ', clear risk' : ''}; criterion 7 (diversion): ${a.criterion7.level}`,
            ...a.rights.map((r) => `  Charter Art. ${r.article} ${r.title}: ${r.level}`),
            ...a.conditions.map((c) => `  Condition: ${c.text}`),
            ...a.informationNeeded.map((i) => `  Needs information: ${i.text}`),
            a.unknowns.length
              ? `  Unknown (lowers confidence): ${a.unknowns.slice(0, 8).join(', ')}${a.unknowns.length > 8 ? ', …' : ''}`
              : '',
            reference.missing.length
              ? `  Indicator files missing from ${reference.folder}: ${reference.missing.join(', ')}`
              : '',
            `  Evidence registry: ${registry.consulted ? `${registry.ids.length} linked record(s) used` : registry.note}`,
            `  Model ${a.modelVersion}; reference ${a.referenceVersion}; input ${a.inputHash}`,
            opts.memo ? `  Memo written to ${opts.memo}` : '',
          ]
            .filter(Boolean)
            .join('\n'),
        );
      },
    );
  const reassessment = program
    .command('reassessment')
    .description('Re-assessment after a reference change: request it, list the proposals, close them');
  reassessment
    .command('request')
    .description('Queue the re-assessment of open applications and live licences a change concerns')
    .addOption(
      new Option('--kind <kind>', 'what changed')
        .choices(['evidence', 'indicator', 'restrictive_measure', 'screening_list'])
        .makeOptionMandatory(),
    )
    .option('--country <XX...>', 'ISO 3166-1 alpha-2 countries the change concerns')
    .option('--name <name...>', 'party or company names the change concerns')
    .requiredOption('--reason <text>', 'why (recorded with every proposal)')
    .option(...AS_OPTION)
    .option('--json', 'machine-readable output')
    .action(
      async (opts: {
        kind: string;
        country?: string[];
        name?: string[];
        reason: string;
        as?: string;
        json?: boolean;
      }) => {
        const out = cli.output(!!opts.json);
        const r = await cli.withCustos('custos reassessment request', async (custos) =>
          requestReassessment(custos.ctx, await principalFor(custos.ctx, opts.as), {
            kind: opts.kind,
            countries: opts.country ?? [],
            names: opts.name ?? [],
            reason: opts.reason,
          }),
        );
        out.result(
          r,
          `Re-assessment queued (job ${r.jobId ?? 'already pending'}); the job records proposals.`,
        );
      },
    );
  reassessment
    .command('proposals')
    .description('Re-assessment and post-licence review proposals, newest first')
    .option('--application <ref>', 'of one application (id or reference)')
    .addOption(new Option('--status <status>').choices(['open', 'closed', 'all']).default('open'))
    .option(...AS_OPTION)
    .option('--json', 'machine-readable output')
    .action(
      async (opts: {
        application?: string;
        status: 'open' | 'closed' | 'all';
        as?: string;
        json?: boolean;
      }) => {
        const out = cli.output(!!opts.json);
        const list = await cli.withCustos('custos reassessment proposals', async (custos) =>
          listReassessmentProposals(
            custos.ctx,
            await principalFor(custos.ctx, opts.as),
            opts.application,
            opts.status,
          ),
        );
        out.result(list, () =>
          list.length === 0
            ? 'No proposals.'
            : list
                .map(
                  (p) =>
                    `${p.id}  ${p.action.padEnd(19)} ${p.previousRecommendation} -> ${p.currentRecommendation}  ${p.status}${p.closure ? ` (${p.closure})` : ''}\n    ${p.reasons.join(' ')}`,
                )
                .join('\n'),
        );
      },
    );
  reassessment
    .command('close <proposalId>')
    .description('Close a proposal as actioned or dismissed, with the reasons (audited)')
    .addOption(new Option('--closure <closure>').choices(['actioned', 'dismissed']).makeOptionMandatory())
    .requiredOption('--note <text>', 'what was done, or why nothing is needed')
    .option(...AS_OPTION)
    .option('--json', 'machine-readable output')
    .action(async (id: string, opts: { closure: string; note: string; as?: string; json?: boolean }) => {
      const out = cli.output(!!opts.json);
      const p = await cli.withCustos('custos reassessment close', async (custos) =>
        closeReassessmentProposal(custos.ctx, await principalFor(custos.ctx, opts.as), id, {
          closure: opts.closure,
          note: opts.note,
        }),
      );
      out.result(p, `Proposal ${p.id} closed (${p.closure}).`);
    });
  const countries = program.command('countries').description('Country profiles used by the assessment');
  countries
    .command('show <ISO2>')
    .description('Indicators with source and year, embargoes and bans, surveillance-law safeguards')
    .option('--json', 'machine-readable output')
    .action((code: string, opts: { json?: boolean }) => {
      const out = cli.output(!!opts.json);
      const { profile: p, reference } = countryProfile(ctx(), code);
      out.result({ profile: p, reference }, () =>
        [
          `${p.name} (${p.country})${p.euMemberState ? ', EU Member State' : ''}`,
          ...Object.values(p.indicators).map(
            (i) => `  ${i!.key}: ${String(i!.value)}${i!.year ? ` (${i!.year})` : ''}`,
          ),
          ...(reference.missing.length
            ? [`  (indicator files missing from ${reference.folder}: ${reference.missing.join(', ')})`]
            : []),
          ...p.restrictiveMeasureIds.map((m) => `  Restrictive measure: ${m}`),
          p.missingIndicators.length ? `  Unknown indicators: ${p.missingIndicators.join(', ')}` : '',
          `  Safeguards known: ${p.safeguards.filter((s) => s.value !== 'unknown').length} of ${p.safeguards.length}`,
        ]
          .filter(Boolean)
          .join('\n'),
      );
    });
}
