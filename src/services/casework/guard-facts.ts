/**
 * Guard facts for the application lifecycle, gathered from providers. Each provider answers the guards it knows
 * about; a guard nobody answers is "missing" and the engine refuses the transition. Other capabilities append
 * their providers (denials: essentially_identical_check_done, all_consultations_closed, denial_override_notified).
 */
import type { Application, LicenceType } from '../../domain/model.ts';
import { checkLicenceRequirements, type GuardFacts } from '../../engines/workflow/index.ts';
import { submissionGaps } from '../applications.service.ts';
import type { ServiceContext, Tx } from '../context.ts';
import { denialGuardFacts } from '../denials.service.ts';
import { dueDiligenceGuardFacts } from '../due-diligence.service.ts';
import { screeningGuardFacts } from '../screening-runs.service.ts';
import { licenceTypePolicy } from './policy.ts';

export type { GuardFacts };
export type GuardFactProvider = (
  ctx: ServiceContext,
  trx: Tx,
  application: Application,
) => Promise<GuardFacts>;

/** `application_complete`: mandatory fields, a line, the end user (and consignee of a physical export). */
export const completenessGuardFacts: GuardFactProvider = async (_ctx, _trx, application) => ({
  application_complete: submissionGaps(application).length === 0,
});

/** `information_provided`: no information request of this application is still open. */
export const informationRequestGuardFacts: GuardFactProvider = async (_ctx, trx, application) => {
  const open = await trx
    .selectFrom('information_requests')
    .select('id')
    .where('application_id', '=', application.id)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return { information_provided: open === undefined };
};

/** The Art 12(4) requirements on file for this application, checked by the licence-type engine. */
export async function loadLicenceRequirements(trx: Tx, application: Pick<Application, 'id' | 'licenceType'>) {
  const rec = await trx
    .selectFrom('licence_requirement_records')
    .selectAll()
    .where('application_id', '=', application.id)
    .executeTakeFirst();
  const record = {
    endUseStatementDocumentId: rec?.end_use_statement_document_id ?? null,
    icpDocumentId: rec?.icp_document_id ?? null,
    endUseStatementExempted: rec?.end_use_statement_exempted ?? false,
    icpWaived: rec?.icp_waived ?? false,
  };
  const check = checkLicenceRequirements(licenceTypePolicy(), application.licenceType as LicenceType, {
    icpOnFile: record.icpDocumentId !== null,
    icpWaivedByAuthority: record.icpWaived,
    endUseStatementOnFile: record.endUseStatementDocumentId !== null,
    endUseStatementExempted: record.endUseStatementExempted,
  });
  return { record, check };
}

/** `end_use_statement_on_file`, `icp_on_file_or_waived` (Art 12(4)) via checkLicenceRequirements. */
export const licenceRequirementGuardFacts: GuardFactProvider = async (_ctx, trx, application) =>
  (await loadLicenceRequirements(trx, application)).check.guardFacts;

/** The providers consulted on every application transition, in order. The lead appends other capabilities' here. */
export const guardFactProviders: GuardFactProvider[] = [
  completenessGuardFacts,
  informationRequestGuardFacts,
  licenceRequirementGuardFacts,
  // Art 16: essentially identical denials checked, consultations closed, override notified.
  (ctx, trx, application) => denialGuardFacts(ctx, trx, application.id),
  // Rec. 2024/2659: the exporter's due-diligence record (on file, complete, red flags) and ICP.
  (ctx, trx, application) => dueDiligenceGuardFacts(ctx, trx, application.id),
  // Custos policy: no open or needs-information screening hit on the application's parties.
  (_ctx, trx, application) => screeningGuardFacts(trx, application.id),
];

/** Ask every provider; when two answer the same guard, `false` wins (a guard holds only if no provider denies it). */
export async function collectGuardFacts(
  ctx: ServiceContext,
  trx: Tx,
  application: Application,
  providers: readonly GuardFactProvider[] = guardFactProviders,
): Promise<Record<string, boolean | undefined>> {
  const facts: Record<string, boolean | undefined> = {};
  for (const provide of providers) {
    for (const [guard, value] of Object.entries(await provide(ctx, trx, application))) {
      if (value === undefined) continue;
      facts[guard] = facts[guard] === false ? false : value;
    }
  }
  return facts;
}
