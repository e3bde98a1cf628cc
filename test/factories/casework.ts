/** Case-handling fixtures shared by the workflow tests: an end-use statement on file, a case in assessment. */
import type { Principal } from '../../src/domain/model.ts';
import { recordLicenceRequirements, transitionApplication } from '../../src/services/casework.service.ts';
import type { ServiceContext } from '../../src/services/context.ts';
import { attachDocument } from '../../src/services/documents.service.ts';
import { makeApplication, type World } from './world.ts';

/** Attach an end-use statement to the application and name it as the Art 12(4) statement on file. */
export async function putEndUseStatementOnFile(
  ctx: ServiceContext,
  exporter: Principal,
  applicationId: string,
  filename = 'end-use-statement.pdf',
) {
  const doc = await attachDocument(ctx, exporter, applicationId, {
    filename,
    content: new TextEncoder().encode('%PDF-1.4\n%%EOF'),
  });
  await recordLicenceRequirements(ctx, exporter, applicationId, { endUseStatementDocumentId: doc.id });
  return doc;
}

/** A new application of `exporter`, with its end-use statement, submitted and taken into assessment by the officer. */
export async function makeCaseInAssessment(ctx: ServiceContext, world: World, exporter: Principal) {
  const { app } = await makeApplication(ctx, exporter);
  await putEndUseStatementOnFile(ctx, exporter, app.id);
  const s = await transitionApplication(ctx, exporter, app.id, {
    to: 'submitted',
    expectedVersion: app.version,
  });
  return transitionApplication(ctx, world.officer.principal, app.id, {
    to: 'in_assessment',
    expectedVersion: s.version,
  });
}
