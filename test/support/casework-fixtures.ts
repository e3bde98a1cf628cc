/** Records in each case-handling state for the access matrix: a case in assessment, an open information request, a granted licence with an appeal. */
import type { Principal } from '../../src/domain/model.ts';
import {
  recordLicenceRequirements,
  requestInformation,
  transitionApplication,
} from '../../src/services/casework.service.ts';
import { checkApplicationAgainstDenials } from '../../src/services/denials.service.ts';
import type { ServiceContext } from '../../src/services/context.ts';
import { decideApplication, recordAppeal } from '../../src/services/decisions.service.ts';
import { makeApplication, type World } from '../factories/world.ts';

export interface CaseworkFixture {
  caseId: string;
  caseVersion: number;
  infoAppId?: string;
  infoRequestId?: string;
  decidedAppId?: string;
  licenceId?: string;
  licenceVersion?: number;
  appealId?: string;
  appealVersion?: number;
}

async function inAssessment(ctx: ServiceContext, world: World, exporter: Principal) {
  const { app } = await makeApplication(ctx, exporter);
  await recordLicenceRequirements(ctx, world.officer.principal, app.id, { endUseStatementExempted: true });
  const s = await transitionApplication(ctx, exporter, app.id, {
    to: 'submitted',
    expectedVersion: app.version,
  });
  const assessed = await transitionApplication(ctx, world.officer.principal, app.id, {
    to: 'in_assessment',
    expectedVersion: s.version,
  });
  // Denials created by other matrix entries may match this synthetic case: the officer keeps none of them (Art 16).
  await checkApplicationAgainstDenials(ctx, world.officer.principal, app.id, {
    keepDenialIds: [],
    note: 'Not essentially identical: different end user on inspection.',
  });
  return assessed;
}

/** Build only what an endpoint needs: `kind` picks the states. */
export async function makeCaseworkFixture(
  ctx: ServiceContext,
  world: World,
  kind: 'case' | 'information' | 'decided',
): Promise<CaseworkFixture> {
  const exporter = world.exporterA.principal;
  const a = await inAssessment(ctx, world, exporter);
  const fixture: CaseworkFixture = { caseId: a.id, caseVersion: a.version };
  if (kind === 'information') {
    const r = await requestInformation(ctx, world.officer.principal, a.id, {
      questions: ['Who operates the system?'],
      expectedVersion: a.version,
    });
    fixture.infoAppId = a.id;
    fixture.infoRequestId = r.id;
  }
  if (kind === 'decided') {
    const d = await decideApplication(ctx, world.officer.principal, a.id, {
      outcome: 'granted',
      legalBasis: [{ citation: 'Regulation (EU) 2021/821, Art 12(1)(a)', text: 'Individual authorisation.' }],
      reasons: ['No concern after assessment.'],
      expectedVersion: a.version,
    });
    const appeal = await recordAppeal(ctx, exporter, a.id, {
      lodgedOn: d.decidedAt.slice(0, 10),
      grounds: 'Conditions too strict.',
    });
    fixture.decidedAppId = a.id;
    fixture.licenceId = d.licence!.id;
    fixture.licenceVersion = d.licence!.version;
    fixture.appealId = appeal.id;
    fixture.appealVersion = appeal.version;
  }
  return fixture;
}
