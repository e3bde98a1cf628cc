/** The evidence registry on a real database: submission, moderation, staff entry, public views, assessment feed. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssessmentInputDraft } from '../../src/domain/assessment.ts';
import { PUBLIC } from '../../src/domain/model.ts';
import { assessApplicationInput } from '../../src/services/assessment.service.ts';
import { verifyAuditLog } from '../../src/services/audit.service.ts';
import { createServiceContext, type ServiceContext } from '../../src/services/context.ts';
import {
  getEvidence,
  listEvidence,
  listPublicEvidence,
  moderateEvidence,
  readEvidenceAttachment,
  recordEvidence,
  REASSESS_QUEUE,
  submitEvidence,
} from '../../src/services/evidence.service.ts';
import { makeWorld, type World } from '../factories/world.ts';
import { testConfig } from '../support/config.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let database: TestDatabase;
let ctx: ServiceContext;
let world: World;

const CANARY_CONTACT = 'canary-contact-7f3a@whistle.example';
const CANARY_CONFIDENTIAL = 'CANARY-CONFIDENTIAL-91d2';

const submission = (over: Record<string, unknown> = {}) => ({
  title: 'Forensic report: spyware infections of journalists traced to a state agency (synthetic)',
  summary: 'Synthetic test record: device forensics attribute infections to the named agency.',
  publishedOn: '2025-03-01',
  sourceUrl: 'https://example.org/reports/synthetic-1',
  evidenceType: 'forensic_report',
  countries: ['EG'],
  endUsers: ['Interior Security Directorate'],
  itemTypes: ['intrusion_software'],
  rights: [7, 8, 11],
  ...over,
});

const input = (over: Partial<AssessmentInputDraft> = {}): AssessmentInputDraft => ({
  applicationId: 'TEST-EG-1',
  memberState: 'DE',
  destination: 'EG',
  intendedEndUse: 'Lawful interception for criminal investigations (synthetic)',
  items: [
    {
      id: 'line-1',
      description: 'Remote device access software (synthetic)',
      controlEntries: ['4A005'],
      cyberSurveillance: { underLaw: true, underPolicy: true },
      capabilities: ['intrusion_software', 'covert_operation'],
    },
  ],
  parties: [{ name: 'Interior Security Directorate', type: 'police', role: 'end_user', country: 'EG' }],
  dueDiligence: { completeness01: 0.8, endUseStatement: true },
  ...over,
});

beforeAll(async () => {
  database = await createTestDatabase();
  ctx = createServiceContext(database.db, testConfig());
  world = await makeWorld(ctx, 'ev');
});
afterAll(async () => database.close());

describe('evidence registry', () => {
  it('takes a public submission into the moderation queue, invisible to the public until accepted', async () => {
    const r = await submitEvidence(ctx, PUBLIC, submission({ submitterContact: CANARY_CONTACT }));
    expect(r.status).toBe('pending');
    expect(JSON.stringify(r)).not.toContain(CANARY_CONTACT);
    await expect(getEvidence(ctx, PUBLIC, r.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(getEvidence(ctx, world.exporterA.principal, r.id)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const pub = await listPublicEvidence(ctx, {});
    expect(pub.items.map((i) => i.id)).not.toContain(r.id);
    // staff see the queue with the contact
    const queue = await listEvidence(ctx, world.officer.principal, { status: 'pending' });
    const row = queue.items.find((i) => i.id === r.id)!;
    expect(row.submitterContact).toBe(CANARY_CONTACT);
    expect(row.enteredBy).toBe('public');
  });

  it('refuses bad input naming the field and writes nothing', async () => {
    const before = await listEvidence(ctx, world.officer.principal, {});
    await expect(
      submitEvidence(ctx, PUBLIC, submission({ countries: ['XX'], evidenceType: 'rumour' })),
    ).rejects.toMatchObject({
      code: 'INVALID',
      issues: expect.arrayContaining([
        expect.objectContaining({ path: 'countries.0' }),
        expect.objectContaining({ path: 'evidenceType' }),
      ]),
    });
    await expect(submitEvidence(ctx, PUBLIC, submission({ rights: [99] }))).rejects.toMatchObject({
      code: 'INVALID',
    });
    const after = await listEvidence(ctx, world.officer.principal, {});
    expect(after.total).toBe(before.total);
  });

  it('checks attachments with the documents rules: type sniffed, size limited; staff-only download', async () => {
    const pdf = Buffer.from('%PDF-1.4\n%%EOF').toString('base64');
    const ok = await submitEvidence(
      ctx,
      PUBLIC,
      submission({ attachments: [{ filename: '../../report.pdf', contentBase64: pdf }] }),
    );
    expect(ok.attachments).toBe(1);
    const full = await getEvidence(ctx, world.officer.principal, ok.id);
    const att = (full as { attachments: { id: string; filename: string; mediaType: string }[] })
      .attachments[0]!;
    expect(att.mediaType).toBe('application/pdf');
    expect(att.filename).not.toContain('/');
    const bytes = await readEvidenceAttachment(ctx, world.officer.principal, ok.id, att.id);
    expect(Buffer.from(bytes.content).toString()).toContain('%PDF');
    await expect(readEvidenceAttachment(ctx, world.exporterA.principal, ok.id, att.id)).rejects.toMatchObject(
      { code: 'FORBIDDEN' },
    );
    const exe = Buffer.from('MZ\x90\x00binary').toString('base64');
    await expect(
      submitEvidence(ctx, PUBLIC, submission({ attachments: [{ filename: 'x.exe', contentBase64: exe }] })),
    ).rejects.toMatchObject({ code: 'INVALID' });
    const big = Buffer.alloc(ctx.config.maxUploadBytes + 1, 'a').toString('base64');
    await expect(
      submitEvidence(ctx, PUBLIC, submission({ attachments: [{ filename: 'big.txt', contentBase64: big }] })),
    ).rejects.toMatchObject({ code: 'TOO_LARGE' });
  });

  it('lets only staff moderate: accept needs a grade, reject needs a note; versioned; audited; re-assessment queued', async () => {
    const r = await submitEvidence(ctx, PUBLIC, submission({ submitterContact: CANARY_CONTACT }));
    await expect(
      moderateEvidence(ctx, world.exporterA.principal, r.id, {
        decision: 'accept',
        version: 1,
        reliability: 'high',
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      moderateEvidence(ctx, world.officer.principal, r.id, { decision: 'accept', version: 1 }),
    ).rejects.toMatchObject({ code: 'INVALID' });
    await expect(
      moderateEvidence(ctx, world.officer.principal, r.id, { decision: 'reject', version: 1 }),
    ).rejects.toMatchObject({ code: 'INVALID' });
    await expect(
      moderateEvidence(ctx, world.officer.principal, r.id, {
        decision: 'accept',
        version: 7,
        reliability: 'high',
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    const accepted = await moderateEvidence(ctx, world.officer.principal, r.id, {
      decision: 'accept',
      version: 1,
      reliability: 'high',
      note: 'Checked against the published report.',
    });
    expect(accepted).toMatchObject({ status: 'accepted', reliability: 'high', version: 2 });
    await expect(
      moderateEvidence(ctx, world.officer.principal, r.id, { decision: 'reject', version: 2, note: 'x' }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    // public view: the record, without contact, moderator or note
    const pub = await getEvidence(ctx, PUBLIC, r.id);
    expect(pub).not.toHaveProperty('submitterContact');
    expect(pub).not.toHaveProperty('moderationNote');
    expect(JSON.stringify(pub)).not.toContain(CANARY_CONTACT);
    const audit = await ctx.db
      .selectFrom('audit_events')
      .select(['action', 'payload'])
      .where('entity_id', '=', r.id)
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['evidence.submitted', 'evidence.accepted']);
    expect(JSON.stringify(audit)).not.toContain(CANARY_CONTACT);
    const jobs = await ctx.db
      .selectFrom('jobs')
      .select('payload')
      .where('queue', '=', REASSESS_QUEUE)
      .execute();
    expect(jobs.some((j) => (j.payload as { evidenceId?: string }).evidenceId === r.id)).toBe(true);
    expect((await verifyAuditLog(ctx.db)).ok).toBe(true);

    const rejected = await submitEvidence(ctx, PUBLIC, submission({ title: 'Unfounded claim (synthetic)' }));
    const rj = await moderateEvidence(ctx, world.officer.principal, rejected.id, {
      decision: 'reject',
      version: 1,
      note: 'No source supports it.',
    });
    expect(rj.status).toBe('rejected');
    await expect(getEvidence(ctx, PUBLIC, rejected.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('lets staff enter evidence directly; confidential records never reach the public list or search', async () => {
    await expect(
      recordEvidence(ctx, world.exporterA.principal, { ...submission(), reliability: 'high' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const conf = await recordEvidence(ctx, world.officer.principal, {
      ...submission({ title: `Confidential source ${CANARY_CONFIDENTIAL}`, confidential: true }),
      reliability: 'medium',
    });
    expect(conf).toMatchObject({ status: 'accepted', enteredBy: 'staff', confidential: true });
    const open = await recordEvidence(ctx, world.officer.principal, {
      ...submission({ title: 'UN finding on unlawful surveillance (synthetic)', evidenceType: 'un_finding' }),
      reliability: 'high',
    });
    for (const q of [{}, { q: 'canary' }, { q: CANARY_CONFIDENTIAL }, { country: 'EG' }, { right: 8 }]) {
      const page = await listPublicEvidence(ctx, q);
      expect(JSON.stringify(page)).not.toContain(CANARY_CONFIDENTIAL);
      expect(JSON.stringify(page)).not.toContain(CANARY_CONTACT);
    }
    await expect(getEvidence(ctx, PUBLIC, conf.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const byType = await listPublicEvidence(ctx, { evidenceType: 'un_finding' });
    expect(byType.items.map((i) => i.id)).toEqual([open.id]);
    const byText = await listPublicEvidence(ctx, { q: 'UN FINDING' });
    expect(byText.items.map((i) => i.id)).toContain(open.id);
    const byItem = await listPublicEvidence(ctx, { itemType: 'imsi_catcher' });
    expect(byItem.total).toBe(0);
    const staffSearch = await listEvidence(ctx, world.officer.principal, { q: CANARY_CONFIDENTIAL });
    expect(staffSearch.items.map((i) => i.id)).toEqual([conf.id]);
    await expect(listEvidence(ctx, world.exporterA.principal, {})).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(listEvidence(ctx, PUBLIC, {})).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('feeds accepted registry evidence into the assessment, cited in findings; confidential only for staff', async () => {
    const exporterRun = await assessApplicationInput(ctx, world.exporterA.principal, input());
    const staffRun = await assessApplicationInput(ctx, world.officer.principal, input());
    expect(exporterRun.registry.consulted).toBe(true);
    const cited = (a: typeof staffRun.assessment) =>
      new Set(a.rights.flatMap((r) => r.evidence.map((e) => e.id)));
    const staffCited = cited(staffRun.assessment);
    const exporterCited = cited(exporterRun.assessment);
    expect(staffRun.registry.ids.length).toBeGreaterThan(exporterRun.registry.ids.length);
    for (const id of exporterRun.registry.ids) expect(id).toMatch(/^registry:/);
    expect([...staffCited].some((id) => id.startsWith('registry:'))).toBe(true);
    expect(JSON.stringify(exporterRun)).not.toContain(CANARY_CONFIDENTIAL);
    expect(JSON.stringify(staffRun)).toContain(CANARY_CONFIDENTIAL);
    expect([...exporterCited].every((id) => staffCited.has(id))).toBe(true);
    // an application elsewhere with unrelated parties gets none of it; pending and rejected records are never used
    const elsewhere = await assessApplicationInput(
      ctx,
      world.officer.principal,
      input({
        destination: 'NO',
        parties: [{ name: 'Oslo Police District', type: 'police', role: 'end_user', country: 'NO' }],
      }),
    );
    expect(elsewhere.registry.ids).toEqual([]);
    const usedTitles = staffRun.assessment.trail.find((t) => t.step === 'evidence')!.outcome;
    expect(usedTitles).toMatch(/accepted record/);
    expect(JSON.stringify(staffRun)).not.toContain('Unfounded claim');
    expect(JSON.stringify(staffRun)).not.toContain(CANARY_CONTACT);
  });
});
