/**
 * The Art 27 records export as a zip: manifest.json, the stored documents and decision documents as files,
 * SHA256SUMS that verifies every other entry; the same bytes for the same records; nothing of another exporter.
 */
import { createHash } from 'node:crypto';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordLicenceRequirements, transitionApplication } from '../../src/services/casework.service.ts';
import { guardFactProviders, type GuardFactProvider } from '../../src/services/casework/guard-facts.ts';
import { createServiceContext, type ServiceContext } from '../../src/services/context.ts';
import { decideApplication } from '../../src/services/decisions.service.ts';
import { attachDocument } from '../../src/services/documents.service.ts';
import { exportOrganisationRecordsZip, RECORDS_CHECKSUMS_FILE } from '../../src/services/records.service.ts';
import { makeApplication, makeWorld, type World } from '../factories/world.ts';
import { testConfig } from '../support/config.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let database: TestDatabase;
let ctx: ServiceContext;
let world: World;
const clock = new Date('2026-12-01T09:00:00Z');
const providers = [
  ...guardFactProviders,
  (async () => ({
    essentially_identical_check_done: true,
    all_consultations_closed: true,
    denial_override_notified: true,
  })) as GuardFactProvider,
];
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const text = (b: Uint8Array) => new TextDecoder().decode(b);

beforeAll(async () => {
  database = await createTestDatabase();
  ctx = createServiceContext(database.db, testConfig(), { now: () => clock });
  world = await makeWorld(ctx, 'zip');
});
afterAll(async () => database.close());

describe('records export as a zip', () => {
  it('holds the manifest, the stored files and their checksums; same bytes twice; nothing of another exporter', async () => {
    const exporter = world.exporterA.principal;
    const { app } = await makeApplication(ctx, exporter);
    const eusBytes = new TextEncoder().encode('%PDF-1.4\n% end-use statement\n%%EOF');
    const eus = await attachDocument(ctx, exporter, app.id, {
      filename: 'End use/statement (signed).pdf',
      content: eusBytes,
    });
    await recordLicenceRequirements(ctx, exporter, app.id, { endUseStatementDocumentId: eus.id });
    const s = await transitionApplication(ctx, exporter, app.id, {
      to: 'submitted',
      expectedVersion: app.version,
    });
    const a = await transitionApplication(ctx, world.officer.principal, app.id, {
      to: 'in_assessment',
      expectedVersion: s.version,
    });
    const decision = await decideApplication(
      ctx,
      world.officer.principal,
      app.id,
      {
        outcome: 'denied',
        legalBasis: [{ citation: 'Regulation (EU) 2021/821, Art 15', text: 'Considerations.' }],
        criteria: [],
        rightsEngaged: [],
        reasons: ['A clear risk of internal repression.'],
        evidence: [],
        expectedVersion: a.version,
      },
      { providers },
    );
    const { app: other } = await makeApplication(ctx, world.exporterB.principal);
    await attachDocument(ctx, world.exporterB.principal, other.id, {
      filename: 'beta-secret.pdf',
      content: new TextEncoder().encode('%PDF-1.4\n% Beta confidential\n%%EOF'),
    });

    const zip = await exportOrganisationRecordsZip(ctx, exporter, world.exporterA.organisationId);
    expect(text(zip.bytes.slice(0, 2))).toBe('PK');
    expect(zip.sha256).toBe(sha(zip.bytes));
    const entries = unzipSync(zip.bytes);
    const names = Object.keys(entries);
    const ref = decision.reference!.replace(/[^A-Za-z0-9._-]+/g, '_');
    expect(names).toEqual(
      [
        'manifest.json',
        `documents/${eus.id}/End_use_statement_signed_.pdf`,
        `decisions/${ref}.html`,
        `decisions/${ref}.pdf`,
        RECORDS_CHECKSUMS_FILE,
      ].sort((x, y) =>
        x === RECORDS_CHECKSUMS_FILE ? 1 : y === RECORDS_CHECKSUMS_FILE ? -1 : x < y ? -1 : 1,
      ),
    );
    expect(entries[`documents/${eus.id}/End_use_statement_signed_.pdf`]).toEqual(eusBytes);
    expect(text(entries[`decisions/${ref}.html`]!)).toContain('A clear risk of internal repression.');

    // SHA256SUMS verifies every other entry (sha256sum -c format).
    const sums = text(entries[RECORDS_CHECKSUMS_FILE]!).trim().split('\n');
    expect(sums).toHaveLength(names.length - 1);
    for (const line of sums) {
      const [hex, name] = line.split('  ');
      expect(sha(entries[name!]!)).toBe(hex);
    }

    // The manifest names the files with their hashes and carries no inline content.
    const manifest = JSON.parse(text(entries['manifest.json']!)) as Record<string, unknown>;
    expect(manifest).toMatchObject({ format: 'custos.records-export', version: 2, exportedFor: 'exporter' });
    const docs = manifest.documents as { id: string; file: string; sha256: string }[];
    expect(docs).toEqual([
      expect.objectContaining({
        id: eus.id,
        file: `documents/${eus.id}/End_use_statement_signed_.pdf`,
        sha256: sha(eusBytes),
      }),
    ]);
    expect(JSON.stringify(manifest)).not.toContain('contentBase64');
    // Lines are records as entered; the report's derived column (migration 0870) is not exported.
    const lines = (manifest.applications as { lines: Record<string, unknown>[] }[]).flatMap((a) => a.lines);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(Object.keys(line)).not.toContain('report_classification');
    const decisions = manifest.decisions as { documents: Record<string, { file: string }> }[];
    expect(decisions[0]!.documents.pdf!.file).toBe(`decisions/${ref}.pdf`);

    // Nothing of exporter B anywhere in the archive.
    for (const [name, data] of Object.entries(entries)) {
      expect(name).not.toContain('beta-secret');
      expect(text(data)).not.toContain(other.id);
      expect(text(data)).not.toContain('Beta confidential');
    }

    // Deterministic: the same records at the same time give the same bytes; another exporter is refused.
    const again = await exportOrganisationRecordsZip(ctx, exporter, world.exporterA.organisationId);
    expect(again.sha256).toBe(zip.sha256);
    await expect(
      exportOrganisationRecordsZip(ctx, world.exporterB.principal, world.exporterA.organisationId),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
