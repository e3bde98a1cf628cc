/**
 * The access matrix: every endpoint x every role, including an exporter acting on another organisation's records.
 * A route missing from the matrix fails the test, so new endpoints cannot skip it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src/http/app.ts';
import { PUBLIC } from '../../../src/domain/model.ts';
import { createApiToken } from '../../../src/services/identity.service.ts';
import { createServiceContext, type ServiceContext } from '../../../src/services/context.ts';
import { makeApplication, makeWorld, type World } from '../../factories/world.ts';
import { publishMatrixReport } from '../../factories/publication.ts';
import { testConfig } from '../../support/config.ts';
import { seedScreeningHit } from '../../factories/screening.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { anonymous, buildTestApp, sessionFor, signIn, type Caller } from '../../support/http.ts';
import { makeCaseworkFixture, type CaseworkFixture } from '../../support/casework-fixtures.ts';

type Role = 'public' | 'exporterOwn' | 'exporterOther' | 'officer' | 'admin';
const ROLES: Role[] = ['public', 'exporterOwn', 'exporterOther', 'officer', 'admin'];

/** Fresh records owned by exporter A for one request. */
interface Fixture {
  appId: string;
  version: number;
  itemId: string;
  partyId: string;
  organisationId: string;
  documentId: string;
  tokenId: string;
  webhookId: string;
  deadMessageId: string;
  /** Case-handling records, built only for the entries that name `casework`. */
  cw: CaseworkFixture;
  /** A pending evidence submission with one attachment (evidence registry). */
  evidenceId: string;
  evidenceAttachmentId: string;
  /** A submitted application of exporter A with one stored assessment. */
  submittedAppId: string;
  assessmentId: string;
  /** An open re-assessment proposal on that assessment. */
  proposalId: string;
}

interface Entry {
  method: string;
  url: string;
  request: (f: Fixture) => Omit<InjectOptions, 'headers'>;
  expect: Record<Role, number>;
  casework?: 'case' | 'information' | 'decided';
  /** A portal page: errors are HTML pages, not problem+json. */
  html?: boolean;
}

const all = (status: number): Record<Role, number> => ({
  public: status,
  exporterOwn: status,
  exporterOther: status,
  officer: status,
  admin: status,
});
const m = (
  pub: number,
  own: number,
  other: number,
  officer: number,
  admin: number,
): Record<Role, number> => ({
  public: pub,
  exporterOwn: own,
  exporterOther: other,
  officer,
  admin,
});

const MULTIPART_BOUNDARY = '----matrix';
const pdfUpload = Buffer.concat([
  Buffer.from(
    `--${MULTIPART_BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="eus.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
  ),
  Buffer.from('%PDF-1.4\n%%EOF'),
  Buffer.from(`\r\n--${MULTIPART_BOUNDARY}--\r\n`),
]);

const MATRIX: Entry[] = [
  { method: 'GET', url: '/', request: () => ({ url: '/' }), expect: all(200) },
  {
    method: 'POST',
    url: '/api/assessments',
    request: () => ({
      method: 'POST',
      url: '/api/assessments',
      payload: JSON.parse(
        fs.readFileSync(path.resolve('test/fixtures/assessment/syria-interception.json'), 'utf8'),
      ),
    }),
    expect: m(401, 200, 200, 200, 200),
  },
  {
    method: 'GET',
    url: '/api/countries/:code',
    request: () => ({ url: '/api/countries/EG' }),
    expect: all(200),
  },
  // No list is loaded in this database: signed-in callers get 503 (the lists are named in the message), the public 401.
  {
    method: 'POST',
    url: '/api/screenings',
    request: () => ({ method: 'POST', url: '/api/screenings', payload: { name: 'Ivan Petrov' } }),
    expect: m(401, 503, 503, 503, 503),
  },
  {
    method: 'POST',
    url: '/api/screenings/batch',
    request: () => ({
      method: 'POST',
      url: '/api/screenings/batch',
      payload: { queries: [{ name: 'Ivan Petrov' }] },
    }),
    expect: m(401, 503, 503, 503, 503),
  },
  { method: 'GET', url: '/api/lists', request: () => ({ url: '/api/lists' }), expect: all(200) },
  {
    method: 'GET',
    url: '/api/classification/profiles',
    request: () => ({ url: '/api/classification/profiles' }),
    expect: all(200),
  },
  {
    method: 'POST',
    url: '/api/classifications',
    request: () => ({
      method: 'POST',
      url: '/api/classifications',
      payload: { item: { itemForm: 'software', facts: {} } },
    }),
    expect: all(200),
  },
  {
    method: 'POST',
    url: '/api/items/:id/classification',
    request: (f) => ({ method: 'POST', url: `/api/items/${f.itemId}/classification`, payload: {} }),
    expect: m(401, 200, 404, 200, 200),
  },
  // No control list is imported in this database: search and entries answer 503 to everyone alike.
  {
    method: 'GET',
    url: '/api/control-list/search',
    request: () => ({ url: '/api/control-list/search?q=imsi' }),
    expect: all(503),
  },
  {
    method: 'GET',
    url: '/api/control-list/entries/:code',
    request: () => ({ url: '/api/control-list/entries/5A001' }),
    expect: all(503),
  },
  {
    method: 'GET',
    url: '/schemas/technical-profile.json',
    request: () => ({ url: '/schemas/technical-profile.json' }),
    expect: all(200),
  },
  { method: 'GET', url: '/healthz', request: () => ({ url: '/healthz' }), expect: all(200) },
  { method: 'GET', url: '/readyz', request: () => ({ url: '/readyz' }), expect: all(200) },
  { method: 'GET', url: '/openapi.json', request: () => ({ url: '/openapi.json' }), expect: all(200) },
  {
    method: 'POST',
    url: '/api/auth/login',
    request: () => ({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'nobody@example.test', password: 'not a real password' },
    }),
    expect: all(401),
  },
  {
    method: 'POST',
    url: '/api/auth/logout',
    request: () => ({ method: 'POST', url: '/api/auth/logout' }),
    expect: all(204),
  },
  {
    method: 'GET',
    url: '/api/auth/me',
    request: () => ({ url: '/api/auth/me' }),
    expect: m(401, 200, 200, 200, 200),
  },
  {
    method: 'PATCH',
    url: '/api/auth/me',
    request: () => ({ method: 'PATCH', url: '/api/auth/me', payload: { language: null } }),
    expect: m(401, 200, 200, 200, 200),
  },
  {
    method: 'POST',
    url: '/api/tokens',
    request: () => ({ method: 'POST', url: '/api/tokens', payload: { name: 'matrix' } }),
    expect: m(401, 201, 201, 201, 201),
  },
  {
    method: 'DELETE',
    url: '/api/tokens/:id',
    request: (f) => ({ method: 'DELETE', url: `/api/tokens/${f.tokenId}` }),
    expect: m(401, 204, 404, 404, 204),
  },
  {
    method: 'GET',
    url: '/api/organisations',
    request: () => ({ url: '/api/organisations' }),
    expect: m(401, 200, 200, 200, 200),
  },
  {
    method: 'POST',
    url: '/api/organisations',
    request: () => ({
      method: 'POST',
      url: '/api/organisations',
      payload: { kind: 'exporter', name: `Matrix Org ${Math.random()}`, country: 'FR' },
    }),
    expect: m(401, 403, 403, 403, 201),
  },
  {
    method: 'GET',
    url: '/api/organisations/:id',
    request: (f) => ({ url: `/api/organisations/${f.organisationId}` }),
    expect: m(401, 200, 404, 200, 200),
  },
  {
    method: 'GET',
    url: '/api/users',
    request: () => ({ url: '/api/users' }),
    expect: m(401, 403, 403, 403, 200),
  },
  {
    method: 'POST',
    url: '/api/users',
    request: (f) => ({
      method: 'POST',
      url: '/api/users',
      payload: {
        organisationId: f.organisationId,
        email: `u${Math.random()}@example.test`,
        displayName: 'New',
        role: 'exporter',
        password: 'a long enough password',
      },
    }),
    expect: m(401, 403, 403, 403, 201),
  },
  {
    method: 'GET',
    url: '/api/items',
    request: () => ({ url: '/api/items' }),
    expect: m(401, 200, 200, 200, 200),
  },
  {
    method: 'POST',
    url: '/api/items',
    request: () => ({ method: 'POST', url: '/api/items', payload: { name: 'Probe', itemForm: 'software' } }),
    expect: m(401, 201, 201, 403, 403),
  },
  {
    method: 'GET',
    url: '/api/items/:id',
    request: (f) => ({ url: `/api/items/${f.itemId}` }),
    expect: m(401, 200, 404, 200, 200),
  },
  {
    method: 'PATCH',
    url: '/api/items/:id',
    request: (f) => ({
      method: 'PATCH',
      url: `/api/items/${f.itemId}`,
      payload: { version: 1, name: 'Renamed' },
    }),
    expect: m(401, 200, 404, 403, 403),
  },
  {
    method: 'GET',
    url: '/api/parties',
    request: () => ({ url: '/api/parties' }),
    expect: m(401, 200, 200, 200, 200),
  },
  {
    method: 'POST',
    url: '/api/parties',
    request: () => ({
      method: 'POST',
      url: '/api/parties',
      payload: { name: 'Some Ministry', country: 'EG', partyType: 'government_body' },
    }),
    expect: m(401, 201, 201, 403, 403),
  },
  {
    method: 'GET',
    url: '/api/parties/:id',
    request: (f) => ({ url: `/api/parties/${f.partyId}` }),
    expect: m(401, 200, 404, 200, 200),
  },
  {
    method: 'PATCH',
    url: '/api/parties/:id',
    request: (f) => ({
      method: 'PATCH',
      url: `/api/parties/${f.partyId}`,
      payload: { version: 1, address: 'New address' },
    }),
    expect: m(401, 200, 404, 403, 403),
  },
  {
    method: 'GET',
    url: '/api/applications',
    request: () => ({ url: '/api/applications' }),
    expect: m(401, 200, 200, 200, 200),
  },
  {
    method: 'POST',
    url: '/api/applications',
    request: () => ({
      method: 'POST',
      url: '/api/applications',
      payload: { licenceType: 'individual', destinationCountry: 'EG' },
    }),
    expect: m(401, 201, 201, 403, 403),
  },
  {
    method: 'GET',
    url: '/api/applications/:id',
    request: (f) => ({ url: `/api/applications/${f.appId}` }),
    expect: m(401, 200, 404, 200, 200),
  },
  {
    method: 'PATCH',
    url: '/api/applications/:id',
    request: (f) => ({
      method: 'PATCH',
      url: `/api/applications/${f.appId}`,
      payload: { version: f.version, intendedEndUse: 'Changed by the matrix test' },
    }),
    expect: m(401, 200, 404, 403, 403),
  },
  {
    method: 'POST',
    url: '/api/applications/:id/submit',
    request: (f) => ({
      method: 'POST',
      url: `/api/applications/${f.appId}/submit`,
      payload: { version: f.version },
    }),
    expect: m(401, 200, 404, 403, 403),
  },
  {
    method: 'POST',
    url: '/api/applications/:id/withdraw',
    request: (f) => ({
      method: 'POST',
      url: `/api/applications/${f.appId}/withdraw`,
      payload: { version: f.version },
    }),
    expect: m(401, 200, 404, 403, 403),
  },
  {
    method: 'GET',
    url: '/api/applications/:id/documents',
    request: (f) => ({ url: `/api/applications/${f.appId}/documents` }),
    expect: m(401, 200, 404, 200, 200),
  },
  {
    method: 'POST',
    url: '/api/applications/:id/documents',
    request: (f) => ({
      method: 'POST',
      url: `/api/applications/${f.appId}/documents`,
      payload: pdfUpload,
      extraHeaders: { 'content-type': `multipart/form-data; boundary=${MULTIPART_BOUNDARY}` },
    }),
    expect: m(401, 201, 404, 403, 403),
  },
  {
    method: 'GET',
    url: '/api/documents/:id',
    request: (f) => ({ url: `/api/documents/${f.documentId}` }),
    expect: m(401, 200, 404, 200, 200),
  },
  {
    method: 'GET',
    url: '/api/audit-events',
    request: () => ({ url: '/api/audit-events' }),
    expect: m(401, 403, 403, 200, 200),
  },
  // Evidence registry: anyone submits (rate-limited) and reads the public registry; staff moderate and see contacts.
  {
    method: 'POST',
    url: '/api/evidence',
    request: () => ({
      method: 'POST',
      url: '/api/evidence',
      payload: { title: 'Matrix', summary: 'Synthetic', evidenceType: 'media', countries: ['EG'] },
    }),
    expect: all(201),
  },
  { method: 'GET', url: '/api/evidence', request: () => ({ url: '/api/evidence' }), expect: all(200) },
  {
    method: 'POST',
    url: '/api/evidence/records',
    request: () => ({
      method: 'POST',
      url: '/api/evidence/records',
      payload: { title: 'Matrix', summary: 'Synthetic', evidenceType: 'media', reliability: 'low' },
    }),
    expect: m(401, 403, 403, 201, 201),
  },
  {
    method: 'GET',
    url: '/api/evidence/queue',
    request: () => ({ url: '/api/evidence/queue?status=pending' }),
    expect: m(401, 403, 403, 200, 200),
  },
  {
    method: 'GET',
    url: '/api/evidence/:id',
    request: (f) => ({ url: `/api/evidence/${f.evidenceId}` }),
    expect: m(404, 404, 404, 200, 200),
  },
  {
    method: 'POST',
    url: '/api/evidence/:id/moderation',
    request: (f) => ({
      method: 'POST',
      url: `/api/evidence/${f.evidenceId}/moderation`,
      payload: { decision: 'accept', version: 1, reliability: 'medium' },
    }),
    expect: m(401, 403, 403, 200, 200),
  },
  {
    method: 'GET',
    url: '/api/evidence/:id/attachments/:attachmentId',
    request: (f) => ({ url: `/api/evidence/${f.evidenceId}/attachments/${f.evidenceAttachmentId}` }),
    expect: m(401, 403, 403, 200, 200),
  },
  // Stored assessments are the authority's working file: officers and administrators only.
  {
    method: 'POST',
    url: '/api/applications/:id/assessments',
    request: (f) => ({
      method: 'POST',
      url: `/api/applications/${f.submittedAppId}/assessments`,
      payload: {},
    }),
    expect: m(401, 403, 403, 201, 201),
  },
  {
    method: 'GET',
    url: '/api/applications/:id/assessments',
    request: (f) => ({ url: `/api/applications/${f.submittedAppId}/assessments` }),
    expect: m(401, 403, 403, 200, 200),
  },
  {
    method: 'GET',
    url: '/api/assessments/:id',
    request: (f) => ({ url: `/api/assessments/${f.assessmentId}` }),
    expect: m(401, 403, 403, 200, 200),
  },
  {
    method: 'POST',
    url: '/api/assessments/:id/safeguards',
    request: (f) => ({
      method: 'POST',
      url: `/api/assessments/${f.assessmentId}/safeguards`,
      payload: { criterion: 'effective_remedy', value: 'unknown', source: null },
    }),
    expect: m(401, 403, 403, 201, 201),
  },
  {
    method: 'GET',
    url: '/api/assessments/:id/memo',
    request: (f) => ({ url: `/api/assessments/${f.assessmentId}/memo?format=pdf` }),
    expect: m(401, 403, 403, 200, 200),
  },
  {
    method: 'GET',
    url: '/api/reassessment-proposals',
    request: () => ({ url: '/api/reassessment-proposals' }),
    expect: m(401, 403, 403, 200, 200),
  },
  {
    method: 'POST',
    url: '/api/reassessment-proposals/:id/close',
    request: (f) => ({
      method: 'POST',
      url: `/api/reassessment-proposals/${f.proposalId}/close`,
      payload: { closure: 'dismissed', note: 'Reviewed: no change to the assessment.' },
    }),
    expect: m(401, 403, 403, 200, 200),
  },
  {
    method: 'POST',
    url: '/api/reassessments',
    request: () => ({
      method: 'POST',
      url: '/api/reassessments',
      payload: { kind: 'indicator', countries: ['ae'], reason: 'Country profile updated' },
    }),
    expect: m(401, 403, 403, 202, 202),
  },
  {
    method: 'POST',
    url: '/api/audit/verify',
    request: () => ({ method: 'POST', url: '/api/audit/verify' }),
    expect: m(401, 403, 403, 403, 200),
  },
  // Screening in the workflow: one hit on a party of exporter A, seeded in beforeAll (no list is loaded here).
  {
    method: 'GET',
    url: '/api/applications/:id/screening',
    request: (f) => ({ url: `/api/applications/${f.appId}/screening` }),
    expect: m(401, 200, 404, 200, 200),
  },
  {
    method: 'GET',
    url: '/api/screening/hits',
    request: () => ({ url: '/api/screening/hits' }),
    expect: m(401, 200, 200, 200, 200),
  },
  {
    method: 'GET',
    url: '/api/screening/hits/:id',
    request: () => ({ url: `/api/screening/hits/${screeningHit.id}` }),
    expect: m(401, 200, 404, 200, 200),
  },
  {
    method: 'POST',
    url: '/api/screening/hits/:id/adjudication',
    request: () => ({
      method: 'POST',
      url: `/api/screening/hits/${screeningHit.id}/adjudication`,
      payload: { decision: 'false_positive', reason: 'different registration number', version: 1 },
    }),
    expect: m(401, 403, 404, 200, 403),
  },
  {
    method: 'POST',
    url: '/api/screening/hits/:id/notes',
    request: () => ({
      method: 'POST',
      url: `/api/screening/hits/${screeningHit.id}/notes`,
      payload: { note: 'registered in Dubai since 2011' },
    }),
    expect: m(401, 201, 404, 403, 403),
  },
  // ---- Issue 6: denials (Art 16), catch-all (Art 5), due diligence and ICP, records (Art 27) ----
  {
    method: 'GET',
    url: '/api/denials',
    request: () => ({ url: '/api/denials' }),
    expect: m(401, 403, 403, 200, 200),
  },
  {
    method: 'POST',
    url: '/api/denials',
    request: () => ({
      method: 'POST',
      url: '/api/denials',
      payload: {
        origin: 'received',
        notifyingMemberState: 'FR',
        reference: `M-${Math.random()}`,
        deniedOn: '2025-05-05',
        itemDescription: 'Spyware',
        destinationCountry: 'EG',
        parties: [{ role: 'end_user', name: 'Some Agency', country: 'EG' }],
        reason: 'Criterion 2',
      },
    }),
    expect: m(401, 403, 403, 201, 201),
  },
  {
    method: 'GET',
    url: '/api/denials/export',
    request: () => ({ url: '/api/denials/export' }),
    expect: m(401, 403, 403, 200, 200),
  },
  {
    method: 'POST',
    url: '/api/denials/import',
    request: () => ({ method: 'POST', url: '/api/denials/import', payload: issue6.exchange }),
    expect: m(401, 403, 403, 200, 200),
  },
  {
    method: 'GET',
    url: '/api/denials/:id',
    request: () => ({ url: `/api/denials/${issue6.receivedDenialId}` }),
    expect: m(401, 403, 403, 200, 200),
  },
  {
    method: 'POST',
    url: '/api/denials/:id/status',
    request: () => ({
      method: 'POST',
      url: `/api/denials/${take6('denialStatus')}/status`,
      payload: { status: 'revoked', reason: 'matrix', version: 1 },
    }),
    expect: m(401, 403, 403, 200, 200),
  },
  {
    method: 'POST',
    url: '/api/applications/:id/denial-check',
    request: (f) => ({ method: 'POST', url: `/api/applications/${f.appId}/denial-check`, payload: {} }),
    expect: m(401, 403, 403, 200, 200),
  },
  {
    method: 'GET',
    url: '/api/applications/:id/denials',
    request: (f) => ({ url: `/api/applications/${f.appId}/denials` }),
    expect: m(401, 403, 403, 200, 200),
  },
  {
    method: 'POST',
    url: '/api/applications/:id/denial-consultations',
    request: (f) => ({
      method: 'POST',
      url: `/api/applications/${f.appId}/denial-consultations`,
      payload: { denialId: issue6.receivedDenialId },
    }),
    expect: m(401, 403, 403, 201, 201),
  },
  {
    method: 'PATCH',
    url: '/api/denial-consultations/:id',
    request: () => ({
      method: 'PATCH',
      url: `/api/denial-consultations/${take6('denialConsultation')}`,
      payload: { action: 'extend', extraWorkingDays: 5, version: 1 },
    }),
    expect: m(401, 403, 403, 200, 200),
  },
  {
    method: 'POST',
    url: '/api/applications/:id/denial-notifications',
    request: (f) => ({
      method: 'POST',
      url: `/api/applications/${f.appId}/denial-notifications`,
      payload: { denialIds: [issue6.receivedDenialId], recipients: ['FR', 'EU'], explanation: 'matrix' },
    }),
    expect: m(401, 403, 403, 201, 201),
  },
  {
    method: 'GET',
    url: '/api/catch-all/notices',
    request: () => ({ url: '/api/catch-all/notices' }),
    expect: m(401, 200, 200, 200, 200),
  },
  {
    method: 'POST',
    url: '/api/catch-all/notices',
    request: (f) => ({
      method: 'POST',
      url: '/api/catch-all/notices',
      payload: {
        organisationId: f.organisationId,
        items: [{ description: 'Facial recognition', categories: ['facial_recognition'] }],
        destinationCountry: 'AE',
        grounds: 'matrix',
      },
    }),
    expect: m(401, 403, 403, 201, 201),
  },
  {
    method: 'POST',
    url: '/api/catch-all/awareness',
    request: () => ({
      method: 'POST',
      url: '/api/catch-all/awareness',
      payload: {
        items: [{ description: 'Monitoring centre' }],
        destinationCountry: 'EG',
        findings: 'matrix',
      },
    }),
    expect: m(401, 201, 201, 403, 403),
  },
  {
    method: 'GET',
    url: '/api/catch-all/notices/:id',
    request: () => ({ url: `/api/catch-all/notices/${issue6.noticeId}` }),
    expect: m(401, 200, 404, 200, 200),
  },
  {
    method: 'POST',
    url: '/api/catch-all/notices/:id/decision',
    request: () => ({
      method: 'POST',
      url: `/api/catch-all/notices/${take6('awareness')}/decision`,
      payload: { licenceRequired: true, version: 1 },
    }),
    expect: m(401, 403, 403, 200, 200),
  },
  {
    method: 'POST',
    url: '/api/catch-all/notices/:id/consultations',
    request: () => ({
      method: 'POST',
      url: `/api/catch-all/notices/${issue6.noticeId}/consultations`,
      payload: { memberStates: ['FR'] },
    }),
    expect: m(401, 403, 403, 201, 201),
  },
  {
    method: 'GET',
    url: '/api/catch-all/consultations/:id',
    request: () => ({ url: `/api/catch-all/consultations/${issue6.unanimousConsultationId}` }),
    expect: m(401, 403, 403, 200, 200),
  },
  {
    method: 'PATCH',
    url: '/api/catch-all/consultations/:id',
    request: () => ({
      method: 'PATCH',
      url: `/api/catch-all/consultations/${take6('catchAllConsultation')}`,
      payload: { action: 'respond', memberState: 'FR', agrees: true, version: 1 },
    }),
    expect: m(401, 403, 403, 200, 200),
  },
  {
    method: 'GET',
    url: '/api/catch-all/publications',
    request: () => ({ url: '/api/catch-all/publications' }),
    expect: all(200),
  },
  {
    method: 'POST',
    url: '/api/catch-all/publications',
    request: () => ({
      method: 'POST',
      url: '/api/catch-all/publications',
      payload: {
        consultationId: issue6.unanimousConsultationId,
        ojReference: 'OJ C matrix',
        publishedOn: '2026-01-05',
        itemDescription: 'Facial recognition systems',
        keywords: ['facial recognition'],
      },
    }),
    expect: m(401, 403, 403, 201, 201),
  },
  {
    method: 'GET',
    url: '/api/applications/:id/catch-all',
    request: (f) => ({ url: `/api/applications/${f.appId}/catch-all` }),
    expect: m(401, 200, 404, 200, 200),
  },
  {
    method: 'GET',
    url: '/api/due-diligence/questionnaire',
    request: () => ({ url: '/api/due-diligence/questionnaire' }),
    expect: all(200),
  },
  {
    method: 'GET',
    url: '/api/icp/questionnaire',
    request: () => ({ url: '/api/icp/questionnaire' }),
    expect: all(200),
  },
  {
    method: 'GET',
    url: '/api/applications/:id/due-diligence',
    request: (f) => ({ url: `/api/applications/${f.appId}/due-diligence` }),
    expect: m(401, 200, 404, 200, 200),
  },
  {
    method: 'PUT',
    url: '/api/applications/:id/due-diligence',
    request: (f) => ({
      method: 'PUT',
      url: `/api/applications/${f.appId}/due-diligence`,
      payload: { answers: { listed_in_annex_i: false } },
    }),
    expect: m(401, 200, 404, 403, 403),
  },
  {
    method: 'GET',
    url: '/api/organisations/:id/icp-self-assessment',
    request: (f) => ({ url: `/api/organisations/${f.organisationId}/icp-self-assessment` }),
    expect: m(401, 200, 404, 200, 200),
  },
  {
    method: 'PUT',
    url: '/api/organisations/:id/icp-self-assessment',
    request: (f) => ({
      method: 'PUT',
      url: `/api/organisations/${f.organisationId}/icp-self-assessment`,
      payload: { answers: { written_commitment: 'yes' } },
    }),
    expect: m(401, 200, 404, 403, 403),
  },
  {
    method: 'GET',
    url: '/api/organisations/:id/records-export',
    request: (f) => ({ url: `/api/organisations/${f.organisationId}/records-export` }),
    expect: m(401, 200, 404, 200, 200),
  },
  {
    method: 'GET',
    url: '/api/organisations/:id/records-archive',
    request: (f) => ({ url: `/api/organisations/${f.organisationId}/records-archive` }),
    expect: m(401, 200, 404, 200, 200),
  },
  {
    method: 'POST',
    url: '/api/records/retention',
    request: () => ({ method: 'POST', url: '/api/records/retention', payload: {} }),
    expect: m(401, 403, 403, 403, 200),
  },
  // Notifications outbox: administrators only.
  {
    method: 'GET',
    url: '/api/admin/webhooks',
    request: () => ({ url: '/api/admin/webhooks' }),
    expect: m(401, 403, 403, 403, 200),
  },
  {
    method: 'POST',
    url: '/api/admin/webhooks',
    request: () => ({
      method: 'POST',
      url: '/api/admin/webhooks',
      payload: { url: 'https://receiver.example.test/hook', events: ['application.submitted'] },
    }),
    expect: m(401, 403, 403, 403, 201),
  },
  {
    method: 'DELETE',
    url: '/api/admin/webhooks/:id',
    request: (f) => ({ method: 'DELETE', url: `/api/admin/webhooks/${f.webhookId}` }),
    expect: m(401, 403, 403, 403, 204),
  },
  {
    method: 'GET',
    url: '/api/admin/outbox',
    request: () => ({ url: '/api/admin/outbox?status=dead' }),
    expect: m(401, 403, 403, 403, 200),
  },
  {
    method: 'POST',
    url: '/api/admin/outbox/:id/retry',
    request: (f) => ({ method: 'POST', url: `/api/admin/outbox/${f.deadMessageId}/retry` }),
    expect: m(401, 403, 403, 403, 200),
  },

  // ---- case handling (issue 6) ----
  {
    method: 'GET',
    url: '/api/applications/:id/transitions',
    request: (f) => ({ url: `/api/applications/${f.appId}/transitions` }),
    expect: m(401, 200, 404, 200, 200),
  },
  {
    method: 'POST',
    url: '/api/applications/:id/transitions',
    request: (f) => ({
      method: 'POST',
      url: `/api/applications/${f.appId}/transitions`,
      payload: { to: 'submitted', expectedVersion: f.version },
    }),
    expect: m(401, 200, 404, 403, 403),
  },
  {
    method: 'GET',
    url: '/api/applications/:id/deadlines',
    request: (f) => ({ url: `/api/applications/${f.appId}/deadlines` }),
    expect: m(401, 200, 404, 200, 200),
  },
  {
    method: 'GET',
    url: '/api/applications/:id/requirements',
    request: (f) => ({ url: `/api/applications/${f.appId}/requirements` }),
    expect: m(401, 200, 404, 200, 200),
  },
  {
    method: 'PUT',
    url: '/api/applications/:id/requirements',
    request: (f) => ({
      method: 'PUT',
      url: `/api/applications/${f.appId}/requirements`,
      payload: { endUseStatementExempted: true },
    }),
    expect: m(401, 403, 404, 200, 403),
  },
  {
    method: 'GET',
    url: '/api/cases',
    request: () => ({ url: '/api/cases?overdue=false' }),
    expect: m(401, 403, 403, 200, 200),
  },
  {
    method: 'GET',
    url: '/api/cases/sla',
    request: () => ({ url: '/api/cases/sla' }),
    expect: m(401, 403, 403, 200, 200),
  },
  {
    method: 'PUT',
    url: '/api/cases/:id/assignment',
    casework: 'case',
    request: (f) => ({
      method: 'PUT',
      url: `/api/cases/${f.cw.caseId}/assignment`,
      payload: { officerId: world.officer.userId, expectedVersion: f.cw.caseVersion },
    }),
    expect: m(401, 403, 404, 200, 200),
  },
  {
    method: 'GET',
    url: '/api/applications/:id/information-requests',
    request: (f) => ({ url: `/api/applications/${f.appId}/information-requests` }),
    expect: m(401, 200, 404, 200, 200),
  },
  {
    method: 'POST',
    url: '/api/applications/:id/information-requests',
    casework: 'case',
    request: (f) => ({
      method: 'POST',
      url: `/api/applications/${f.cw.caseId}/information-requests`,
      payload: {
        questions: ['Who operates the system?'],
        workingDays: 10,
        expectedVersion: f.cw.caseVersion,
      },
    }),
    expect: m(401, 403, 404, 201, 403),
  },
  {
    method: 'POST',
    url: '/api/applications/:id/information-requests/:requestId/answer',
    casework: 'information',
    request: (f) => ({
      method: 'POST',
      url: `/api/applications/${f.cw.infoAppId}/information-requests/${f.cw.infoRequestId}/answer`,
      payload: { answer: 'The federal police cyber unit.' },
    }),
    expect: m(401, 200, 404, 403, 403),
  },
  {
    method: 'GET',
    url: '/api/applications/:id/decision',
    casework: 'decided',
    request: (f) => ({ url: `/api/applications/${f.cw.decidedAppId}/decision` }),
    expect: m(401, 200, 404, 200, 200),
  },
  {
    // Administrators are refused by separation of duties.
    method: 'POST',
    url: '/api/applications/:id/decision',
    casework: 'case',
    request: (f) => ({
      method: 'POST',
      url: `/api/applications/${f.cw.caseId}/decision`,
      payload: {
        outcome: 'denied',
        legalBasis: [{ citation: 'Regulation (EU) 2021/821, Art 15(1)', text: 'Considerations.' }],
        reasons: ['Clear risk of internal repression.'],
        expectedVersion: f.cw.caseVersion,
      },
    }),
    expect: m(401, 403, 404, 201, 403),
  },
  {
    method: 'GET',
    url: '/api/applications/:id/decision/document',
    casework: 'decided',
    request: (f) => ({ url: `/api/applications/${f.cw.decidedAppId}/decision/document?format=pdf` }),
    expect: m(401, 200, 404, 200, 200),
  },
  {
    method: 'GET',
    url: '/api/applications/:id/appeals',
    casework: 'decided',
    request: (f) => ({ url: `/api/applications/${f.cw.decidedAppId}/appeals` }),
    expect: m(401, 200, 404, 200, 200),
  },
  {
    method: 'POST',
    url: '/api/applications/:id/appeals',
    casework: 'decided',
    request: (f) => ({
      method: 'POST',
      url: `/api/applications/${f.cw.decidedAppId}/appeals`,
      payload: { lodgedOn: new Date().toISOString().slice(0, 10), grounds: 'Disproportionate conditions.' },
    }),
    expect: m(401, 201, 404, 201, 403),
  },
  {
    method: 'POST',
    url: '/api/applications/:id/appeals/:appealId/resolution',
    casework: 'decided',
    request: (f) => ({
      method: 'POST',
      url: `/api/applications/${f.cw.decidedAppId}/appeals/${f.cw.appealId}/resolution`,
      payload: { status: 'dismissed', note: 'Proportionate.', expectedVersion: f.cw.appealVersion },
    }),
    expect: m(401, 403, 404, 200, 403),
  },
  {
    method: 'GET',
    url: '/api/licences',
    request: () => ({ url: '/api/licences' }),
    expect: m(401, 200, 200, 200, 200),
  },
  {
    method: 'GET',
    url: '/api/licences/:id',
    casework: 'decided',
    request: (f) => ({ url: `/api/licences/${f.cw.licenceId}` }),
    expect: m(401, 200, 404, 200, 200),
  },
  {
    method: 'GET',
    url: '/api/licences/:id/transitions',
    casework: 'decided',
    request: (f) => ({ url: `/api/licences/${f.cw.licenceId}/transitions` }),
    expect: m(401, 200, 404, 200, 200),
  },
  {
    method: 'POST',
    url: '/api/licences/:id/transitions',
    casework: 'decided',
    request: (f) => ({
      method: 'POST',
      url: `/api/licences/${f.cw.licenceId}/transitions`,
      payload: {
        to: 'suspended',
        reason: 'Misuse report under review.',
        memberStatesNotified: true,
        expectedVersion: f.cw.licenceVersion,
      },
    }),
    expect: m(401, 403, 404, 200, 403),
  },
  {
    method: 'POST',
    url: '/api/licences/:id/amendments',
    casework: 'decided',
    request: (f) => ({
      method: 'POST',
      url: `/api/licences/${f.cw.licenceId}/amendments`,
      payload: {
        kind: 'correct_clerical_error',
        reason: 'Typo in the address.',
        expectedVersion: f.cw.licenceVersion,
      },
    }),
    expect: m(401, 403, 404, 201, 403),
  },
  {
    method: 'GET',
    url: '/api/licences/:id/usage',
    casework: 'decided',
    request: (f) => ({ url: `/api/licences/${f.cw.licenceId}/usage` }),
    expect: m(401, 200, 404, 200, 200),
  },
  {
    method: 'POST',
    url: '/api/licences/:id/usage-reports',
    casework: 'decided',
    request: (f) => ({
      method: 'POST',
      url: `/api/licences/${f.cw.licenceId}/usage-reports`,
      payload: {
        entries: [
          {
            lineNo: 1,
            quantity: 1,
            valueEur: 1000,
            shippedOn: new Date().toISOString().slice(0, 10),
            reference: 'MRN 1',
          },
        ],
      },
    }),
    expect: m(401, 201, 404, 403, 403),
  },
  {
    method: 'PUT',
    url: '/api/licences/:id/review',
    casework: 'decided',
    request: (f) => ({
      method: 'PUT',
      url: `/api/licences/${f.cw.licenceId}/review`,
      payload: { reason: 'Re-assessment of the destination.', expectedVersion: f.cw.licenceVersion },
    }),
    expect: m(401, 403, 404, 200, 403),
  },
  {
    method: 'GET',
    url: '/api/register',
    request: () => ({ url: '/api/register?sort=reference' }),
    expect: all(200),
  },
  {
    method: 'GET',
    url: '/api/register/:reference',
    request: () => ({ url: `/api/register/${published.reference}` }),
    expect: all(200),
  },
  { method: 'GET', url: '/api/reports', request: () => ({ url: '/api/reports' }), expect: all(200) },
  {
    method: 'GET',
    url: '/api/reports/feed.atom',
    request: () => ({ url: '/api/reports/feed.atom' }),
    expect: all(200),
  },
  {
    method: 'GET',
    url: '/reports/feed.atom',
    request: () => ({ url: '/reports/feed.atom' }),
    expect: all(200),
  },
  {
    method: 'GET',
    url: '/api/reports/:period/:revision/:file',
    request: () => ({ url: '/api/reports/2025-Q4/1/register.csv' }),
    expect: all(200),
  },
  {
    method: 'GET',
    url: '/reports/:authorityId/:period/',
    request: () => ({ url: `/reports/${published.authorityId}/2025-q4/` }),
    expect: all(302),
  },
  {
    method: 'GET',
    url: '/reports/:authorityId/:period/:rev/:file',
    request: () => ({ url: `/reports/${published.authorityId}/2025-q4/r1/report.json` }),
    expect: all(200),
  },
  {
    method: 'POST',
    url: '/api/reports/drafts',
    request: () => ({ method: 'POST', url: '/api/reports/drafts', payload: { period: '2025-Q3' } }),
    expect: m(401, 403, 403, 201, 201),
  },
  {
    method: 'GET',
    url: '/api/reports/drafts',
    request: () => ({ url: '/api/reports/drafts' }),
    expect: m(401, 403, 403, 200, 200),
  },
  {
    method: 'GET',
    url: '/api/reports/drafts/:id',
    request: () => ({ url: `/api/reports/drafts/${published.draftId}` }),
    expect: m(401, 403, 403, 200, 200),
  },
  {
    method: 'POST',
    url: '/api/reports/drafts/:id/review',
    request: () => ({
      method: 'POST',
      url: `/api/reports/drafts/${published.draftId}/review`,
      payload: { decision: 'approve', version: 1 },
    }),
    // the draft is already published: staff get CONFLICT, others are stopped before
    expect: m(401, 403, 403, 409, 409),
  },
  {
    method: 'POST',
    url: '/api/reports/drafts/:id/publish',
    request: () => ({ method: 'POST', url: `/api/reports/drafts/${published.draftId}/publish`, payload: {} }),
    expect: m(401, 403, 403, 200, 200),
  },
];

const screeningHit = { id: '' };
// ---- portal pages (HTML): the public is sent to sign in (303), other exporters get 404, staff are refused (403) ----
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const page = (
  method: 'GET' | 'POST',
  url: string,
  path: (f: Fixture) => string,
  expect: Record<Role, number>,
  fields: (f: Fixture) => Record<string, string> = () => ({}),
): Entry => ({
  method,
  url,
  html: true,
  expect,
  request: (f) =>
    method === 'GET'
      ? { url: path(f) }
      : { method, url: path(f), payload: new URLSearchParams(fields(f)).toString(), extraHeaders: FORM },
});
const EXPORTER_LIST = m(303, 200, 200, 403, 403);
const EXPORTER_OWN = m(303, 200, 404, 403, 403);
const EXPORTER_POST_NEW = m(303, 303, 303, 403, 403);
const EXPORTER_POST_OWN = m(303, 303, 404, 403, 403);
const itemFields = { name: 'Matrix item', itemForm: 'software' };
const partyFields = { name: 'Matrix party', country: 'EG', partyType: 'police' };
const detailFields = {
  licenceType: 'individual',
  destinationCountry: 'EG',
  exportChannel: 'physical',
  intendedEndUse: 'Matrix end use',
};
MATRIX.push(
  page('GET', '/assets/:name', () => '/assets/portal.css', all(200)),
  page('GET', '/favicon.ico', () => '/favicon.ico', all(301)),
  page('GET', '/methodology', () => '/methodology', all(200)),
  page('GET', '/language/:locale', () => '/language/fr?back=/methodology', all(303)),
  page('GET', '/sign-in', () => '/sign-in', all(200)),
  page(
    'POST',
    '/sign-in',
    () => '/sign-in',
    all(400),
    () => ({
      email: 'nobody@example.test',
      password: 'not a real password',
    }),
  ),
  page('POST', '/sign-out', () => '/sign-out', all(303)),
  page('GET', '/account', () => '/account', m(303, 200, 200, 200, 200)),
  page(
    'POST',
    '/account',
    () => '/account',
    m(303, 303, 303, 303, 303),
    () => ({ language: '' }),
  ),
  page('GET', '/exporter', () => '/exporter', EXPORTER_LIST),
  page('GET', '/exporter/items', () => '/exporter/items', EXPORTER_LIST),
  page('GET', '/exporter/items/new', () => '/exporter/items/new', EXPORTER_LIST),
  page(
    'POST',
    '/exporter/items/new',
    () => '/exporter/items/new',
    EXPORTER_POST_NEW,
    () => itemFields,
  ),
  page('GET', '/exporter/items/:id', (f) => `/exporter/items/${f.itemId}`, EXPORTER_OWN),
  page('GET', '/exporter/items/:id/edit', (f) => `/exporter/items/${f.itemId}/edit`, EXPORTER_OWN),
  page(
    'POST',
    '/exporter/items/:id/edit',
    (f) => `/exporter/items/${f.itemId}/edit`,
    EXPORTER_POST_OWN,
    () => ({
      ...itemFields,
      version: '1',
    }),
  ),
  page('GET', '/exporter/items/:id/classify', (f) => `/exporter/items/${f.itemId}/classify`, EXPORTER_OWN),
  page(
    'POST',
    '/exporter/items/:id/classify',
    (f) => `/exporter/items/${f.itemId}/classify`,
    EXPORTER_POST_OWN,
    () => ({
      version: '1',
      asked: '',
      biometricModality: 'none',
    }),
  ),
  page(
    'GET',
    '/exporter/items/:id/classification',
    (f) => `/exporter/items/${f.itemId}/classification`,
    EXPORTER_OWN,
  ),
  page('GET', '/exporter/parties', () => '/exporter/parties', EXPORTER_LIST),
  page('GET', '/exporter/parties/new', () => '/exporter/parties/new', EXPORTER_LIST),
  page(
    'POST',
    '/exporter/parties/new',
    () => '/exporter/parties/new',
    EXPORTER_POST_NEW,
    () => partyFields,
  ),
  page('GET', '/exporter/parties/:id', (f) => `/exporter/parties/${f.partyId}`, EXPORTER_OWN),
  page('GET', '/exporter/parties/:id/edit', (f) => `/exporter/parties/${f.partyId}/edit`, EXPORTER_OWN),
  page(
    'POST',
    '/exporter/parties/:id/edit',
    (f) => `/exporter/parties/${f.partyId}/edit`,
    EXPORTER_POST_OWN,
    () => ({
      ...partyFields,
      version: '1',
    }),
  ),
  page('GET', '/exporter/applications', () => '/exporter/applications', EXPORTER_LIST),
  page('GET', '/exporter/applications/new', () => '/exporter/applications/new', EXPORTER_LIST),
  page(
    'POST',
    '/exporter/applications/new',
    () => '/exporter/applications/new',
    EXPORTER_POST_NEW,
    () => detailFields,
  ),
  page('GET', '/exporter/applications/:id', (f) => `/exporter/applications/${f.appId}`, EXPORTER_OWN),
  ...(['details', 'lines', 'parties', 'diligence', 'attachments', 'review'] as const).map((step) =>
    page(
      'GET',
      `/exporter/applications/:id/${step}`,
      (f) => `/exporter/applications/${f.appId}/${step}`,
      EXPORTER_OWN,
    ),
  ),
  page(
    'POST',
    '/exporter/applications/:id/details',
    (f) => `/exporter/applications/${f.appId}/details`,
    EXPORTER_POST_OWN,
    (f) => ({
      ...detailFields,
      version: String(f.version),
    }),
  ),
  page(
    'POST',
    '/exporter/applications/:id/lines',
    (f) => `/exporter/applications/${f.appId}/lines`,
    EXPORTER_POST_OWN,
    (f) => ({
      version: String(f.version),
      itemId: f.itemId,
      quantity: '1',
      unit: 'items',
      value: '10',
      currency: 'EUR',
      valueEur: '10',
    }),
  ),
  page(
    'POST',
    '/exporter/applications/:id/lines/remove',
    (f) => `/exporter/applications/${f.appId}/lines/remove`,
    EXPORTER_POST_OWN,
    (f) => ({
      version: String(f.version),
      lineNo: '1',
    }),
  ),
  page(
    'POST',
    '/exporter/applications/:id/parties',
    (f) => `/exporter/applications/${f.appId}/parties`,
    EXPORTER_POST_OWN,
    (f) => ({
      version: String(f.version),
      partyId: f.partyId,
      role: 'ultimate_end_user',
    }),
  ),
  page(
    'POST',
    '/exporter/applications/:id/parties/remove',
    (f) => `/exporter/applications/${f.appId}/parties/remove`,
    EXPORTER_POST_OWN,
    (f) => ({
      version: String(f.version),
      partyId: f.partyId,
      role: 'end_user',
    }),
  ),
  {
    // an empty answer: the owner gets the status page again with the error beside the field (nothing sent)
    method: 'POST',
    url: '/exporter/applications/:id/information/:requestId',
    html: true,
    casework: 'information',
    request: (f) => ({
      method: 'POST',
      url: `/exporter/applications/${f.cw.infoAppId}/information/${f.cw.infoRequestId}`,
      payload: new URLSearchParams({ answer: '' }).toString(),
      extraHeaders: FORM,
    }),
    expect: m(303, 400, 404, 403, 403),
  },
  page(
    'POST',
    '/exporter/applications/:id/diligence',
    (f) => `/exporter/applications/${f.appId}/diligence`,
    EXPORTER_POST_OWN,
    () => ({ 'q.listed_in_annex_i': 'false' }),
  ),
  {
    method: 'POST',
    url: '/exporter/applications/:id/attachments',
    html: true,
    request: (f) => ({
      method: 'POST',
      url: `/exporter/applications/${f.appId}/attachments`,
      payload: pdfUpload,
      extraHeaders: { 'content-type': `multipart/form-data; boundary=${MULTIPART_BOUNDARY}` },
    }),
    expect: EXPORTER_POST_OWN,
  },
  page(
    'POST',
    '/exporter/applications/:id/submit',
    (f) => `/exporter/applications/${f.appId}/submit`,
    EXPORTER_POST_OWN,
    (f) => ({
      version: String(f.version),
    }),
  ),
  page(
    'POST',
    '/exporter/applications/:id/withdraw',
    (f) => `/exporter/applications/${f.appId}/withdraw`,
    EXPORTER_POST_OWN,
    (f) => ({
      version: String(f.version),
    }),
  ),
  page(
    'GET',
    '/officer/applications',
    () => '/officer/applications?status=submitted',
    m(303, 403, 403, 200, 200),
  ),
);
// Officer case view and its actions (portal phase 2): invalid bodies, so staff get the case again with the refusal.
const OFFICER_POST_INVALID = m(303, 403, 403, 400, 400);
MATRIX.push(
  page('GET', '/officer/cases/:id', (f) => `/officer/cases/${f.submittedAppId}`, m(303, 403, 403, 200, 200)),
  ...(['assign', 'start', 'information-request', 'decision'] as const).map((action) =>
    page(
      'POST',
      `/officer/cases/:id/${action}`,
      (f) => `/officer/cases/${f.submittedAppId}/${action}`,
      OFFICER_POST_INVALID,
      () => ({ version: 'x' }),
    ),
  ),
  page(
    'POST',
    '/officer/cases/:id/assessment',
    (f) => `/officer/cases/${f.submittedAppId}/assessment`,
    m(303, 403, 403, 303, 303),
  ),
  page(
    'POST',
    '/officer/cases/:id/hits/:hitId',
    (f) => `/officer/cases/${f.submittedAppId}/hits/00000000-0000-4000-8000-000000000000`,
    m(303, 403, 403, 404, 404),
    () => ({ version: '1' }),
  ),
);
// Officer evidence moderation and country profiles: staff pages; invalid bodies re-render with the errors (400).
const OFFICER_PAGE = m(303, 403, 403, 200, 200);
MATRIX.push(
  page('GET', '/officer/evidence', () => '/officer/evidence?status=pending&country=EG', OFFICER_PAGE),
  page('GET', '/officer/evidence/new', () => '/officer/evidence/new', OFFICER_PAGE),
  page(
    'POST',
    '/officer/evidence/new',
    () => '/officer/evidence/new',
    m(303, 403, 403, 400, 400),
    () => ({
      title: '',
    }),
  ),
  page('GET', '/officer/evidence/:id', (f) => `/officer/evidence/${f.evidenceId}`, OFFICER_PAGE),
  page(
    'POST',
    '/officer/evidence/:id/moderation',
    (f) => `/officer/evidence/${f.evidenceId}/moderation`,
    m(303, 403, 403, 400, 400),
    () => ({ version: '1', decision: 'accept' }),
  ),
  page('GET', '/officer/countries', () => '/officer/countries', OFFICER_PAGE),
  page('GET', '/officer/countries/:code', () => '/officer/countries/EG', OFFICER_PAGE),
  page('GET', '/officer/reports', () => '/officer/reports?status=draft', OFFICER_PAGE),
  page(
    'POST',
    '/officer/reports',
    () => '/officer/reports',
    m(303, 403, 403, 400, 400),
    () => ({
      period: '2025-Q9',
    }),
  ),
  page('GET', '/officer/reports/:id', () => `/officer/reports/${published.draftId}`, OFFICER_PAGE),
  // the shared draft is already published: staff get the page again with the refusal (409)
  page(
    'POST',
    '/officer/reports/:id/review',
    () => `/officer/reports/${published.draftId}/review`,
    m(303, 403, 403, 409, 409),
    () => ({ version: '1', decision: 'approve' }),
  ),
  page(
    'POST',
    '/officer/reports/:id/publish',
    () => `/officer/reports/${published.draftId}/publish`,
    m(303, 403, 403, 303, 303),
  ),
);
// public transparency pages (portal phase 2)
MATRIX.push(
  page('GET', '/register', () => '/register?destination=EG&sort=reference', all(200)),
  page('GET', '/register/:reference', () => `/register/${encodeURIComponent(published.reference)}`, all(200)),
  page('GET', '/reports', () => '/reports', all(200)),
  page('GET', '/reports/:period', () => '/reports/2025-Q4', all(200)),
  page('GET', '/evidence', () => '/evidence', all(200)),
  page('GET', '/evidence/submit', () => '/evidence/submit', all(200)),
  page(
    'POST',
    '/evidence/submit',
    () => '/evidence/submit',
    all(400),
    () => ({ title: 'Matrix' }),
  ),
  page('GET', '/evidence/thanks', () => '/evidence/thanks', all(200)),
);

let database: TestDatabase;
let ctx: ServiceContext;
let world: World;
let app: App;
const callers = {} as Record<Role, Caller>;
let published: { reference: string; authorityId: string; draftId: string };

/**
 * Which fixture fields an entry's request reads, found by calling it with a recording proxy, so each test builds only
 * the records it needs (a full fixture per role and entry made this file take minutes).
 */
function fixtureFieldsUsed(entry: Entry): Set<string> {
  const used = new Set<string>();
  const inner = new Proxy({}, { get: (_t, k) => (used.add(`cw.${String(k)}`), 'probe') });
  const probe = new Proxy({}, { get: (_t, k) => (used.add(String(k)), k === 'cw' ? inner : 'probe') });
  try {
    entry.request(probe as Fixture);
  } catch {
    // a request that cannot be built from placeholders: build everything
    return new Set(['*']);
  }
  return used;
}

async function makeFixture(entry: Entry): Promise<Fixture> {
  const used = fixtureFieldsUsed(entry);
  const needs = (...keys: string[]) => used.has('*') || keys.some((k) => used.has(k));
  const casework = entry.casework;
  const { app: draft, item, endUser } = await makeApplication(ctx, world.exporterA.principal);
  let documentId = '';
  if (needs('documentId')) {
    const { attachDocument } = await import('../../../src/services/documents.service.ts');
    const doc = await attachDocument(ctx, world.exporterA.principal, draft.id, {
      filename: 'a.pdf',
      content: new TextEncoder().encode('%PDF-1.4\n%%EOF'),
    });
    documentId = doc.id;
  }
  const tokenId = needs('tokenId')
    ? (await createApiToken(ctx, world.exporterA.principal, { name: 'to revoke' })).id
    : '';
  let webhookId = '';
  let deadMessageId = '';
  if (needs('webhookId', 'deadMessageId')) {
    const { createWebhookSubscription } = await import('../../../src/services/outbox.service.ts');
    const hook = await createWebhookSubscription(ctx, world.admin.principal, {
      url: 'https://receiver.example.test/hook',
      events: ['application.submitted'],
    });
    webhookId = hook.id;
    deadMessageId = ctx.newId();
    await ctx.db
      .insertInto('outbox_messages')
      .values({
        id: deadMessageId,
        kind: 'webhook',
        event: 'application.submitted',
        recipient: hook.url,
        subscription_id: hook.id,
        organisation_id: null,
        payload: JSON.stringify({}),
        status: 'dead',
        max_attempts: 1,
        last_error: 'HTTP 500',
        delivered_at: null,
      })
      .execute();
  }
  let evidenceId = '';
  let evidenceAttachmentId = '';
  if (needs('evidenceId', 'evidenceAttachmentId')) {
    const { submitEvidence, getEvidence } = await import('../../../src/services/evidence.service.ts');
    const evidence = await submitEvidence(ctx, PUBLIC, {
      title: 'Matrix evidence',
      summary: 'Synthetic',
      evidenceType: 'ngo_report',
      attachments: [{ filename: 'e.pdf', contentBase64: Buffer.from('%PDF-1.4\n%%EOF').toString('base64') }],
    });
    const evidenceFull = (await getEvidence(ctx, world.officer.principal, evidence.id)) as {
      attachments: { id: string }[];
    };
    evidenceId = evidence.id;
    evidenceAttachmentId = evidenceFull.attachments[0]!.id;
  }
  let submittedAppId = '';
  let assessmentId = '';
  let proposalId = '';
  if (needs('submittedAppId', 'assessmentId', 'proposalId')) {
    const { submitApplication } = await import('../../../src/services/applications.service.ts');
    const { runApplicationAssessment } = await import('../../../src/services/assessments.service.ts');
    const { app: second } = await makeApplication(ctx, world.exporterA.principal);
    await submitApplication(ctx, world.exporterA.principal, second.id, { version: second.version });
    submittedAppId = second.id;
    assessmentId = (await runApplicationAssessment(ctx, world.officer.principal, second.id, {})).id;
    if (needs('proposalId')) {
      proposalId = ctx.newId();
      await ctx.db
        .insertInto('reassessment_proposals')
        .values({
          id: proposalId,
          assessment_id: assessmentId,
          application_id: second.id,
          action: 'review',
          previous_recommendation: 'grant',
          current_recommendation: 'grant_with_conditions',
        })
        .execute();
    }
  }
  return {
    appId: draft.id,
    version: draft.version,
    itemId: item.id,
    partyId: endUser.id,
    organisationId: world.exporterA.organisationId,
    documentId,
    tokenId,
    webhookId,
    deadMessageId,
    cw: casework
      ? await makeCaseworkFixture(ctx, world, casework)
      : { caseId: draft.id, caseVersion: draft.version },
    evidenceId,
    evidenceAttachmentId,
    submittedAppId,
    assessmentId,
    proposalId,
  };
}

beforeAll(async () => {
  database = await createTestDatabase();
  // the matrix sends ~1,000 requests from one address in a minute or two: lift the global limit (tested in http.test.ts)
  ctx = createServiceContext(database.db, testConfig({ CUSTOS_RATE_LIMIT_PER_MINUTE: '1000000' }));
  world = await makeWorld(ctx, 'matrix');
  app = await buildTestApp(ctx);
  callers.public = anonymous;
  callers.exporterOwn = await signIn(app, world.exporterA.email);
  callers.exporterOther = await signIn(app, world.exporterB.email);
  callers.officer = await signIn(app, world.officer.email);
  callers.admin = await signIn(app, world.admin.email);
  screeningHit.id = await seedScreeningHit(ctx, world);
  published = await publishMatrixReport(ctx, world);
});
afterAll(async () => {
  await app.close();
  await database.close();
});

describe('access matrix', () => {
  it('covers every registered route', () => {
    const covered = new Set(MATRIX.map((e) => `${e.method} ${e.url}`));
    const routes = app.routeTable
      .filter((r) => !r.url.startsWith('/docs'))
      .map((r) => `${r.method} ${r.url}`);
    const missing = routes.filter((r) => !covered.has(r));
    expect(missing, 'routes without an access-matrix entry').toEqual([]);
  });

  for (const entry of MATRIX) {
    it(`${entry.method} ${entry.url}`, async () => {
      const outcomes: Record<string, number> = {};
      for (const role of ROLES) {
        const fixture = await makeFixture(entry);
        const { extraHeaders, ...req } = entry.request(fixture) as InjectOptions & {
          extraHeaders?: Record<string, string>;
        };
        // logout would end the shared session: give it a session of its own
        const caller =
          (entry.url === '/api/auth/logout' || entry.url === '/sign-out') && role !== 'public'
            ? await sessionFor(
                ctx,
                role === 'admin'
                  ? world.admin.email
                  : role === 'officer'
                    ? world.officer.email
                    : role === 'exporterOwn'
                      ? world.exporterA.email
                      : world.exporterB.email,
              )
            : callers[role];
        const res = await app.inject({
          ...req,
          headers: { ...caller.headers, ...extraHeaders },
        } as InjectOptions);
        outcomes[role] = res.statusCode;
        if (res.statusCode >= 400)
          expect(res.headers['content-type'], `${role}: ${res.body}`).toContain(
            entry.html ? 'text/html' : 'application/problem+json',
          );
        if (role === 'exporterOther' && res.statusCode < 300 && entry.url.includes(':id')) {
          throw new Error(`exporter B reached A's record via ${entry.method} ${entry.url}`);
        }
      }
      expect(outcomes).toEqual(entry.expect);
    });
  }
});

// ---- Issue 6 fixtures: records made once; the mutating entries take a fresh one per role (ROLES order, 5 each). ----
const issue6 = {
  exchange: null as unknown,
  receivedDenialId: '',
  noticeId: '',
  unanimousConsultationId: '',
  pools: {} as Record<string, string[]>,
  cursor: {} as Record<string, number>,
};
function take6(pool: string): string {
  const i = issue6.cursor[pool] ?? 0;
  issue6.cursor[pool] = i + 1;
  return issue6.pools[pool]![i % ROLES.length]!;
}

beforeAll(async () => {
  const officer = world.officer.principal;
  const { exportDenials } = await import('../../../src/engines/workflow/index.ts');
  const denialsService = await import('../../../src/services/denials.service.ts');
  const catchAll = await import('../../../src/services/catch-all.service.ts');
  const received = {
    id: 'matrix-1',
    origin: 'own' as const,
    kind: 'refusal' as const,
    notifyingMemberState: 'FR',
    reference: 'SBDU-MATRIX-1',
    deniedOn: '2025-06-10',
    controlEntries: ['5A001.f'],
    itemDescription: 'Mobile network interception equipment',
    endUse: 'Monitoring',
    destinationCountry: 'AE',
    parties: [
      {
        role: 'end_user' as const,
        name: 'Ministry of Interior',
        address: '',
        country: 'AE',
        partyType: 'police' as const,
      },
    ],
    reason: 'Criterion 2',
    status: 'in_force' as const,
    reviewDueOn: '2028-06-10',
  };
  const text = exportDenials([received], {
    exportedAt: '2026-01-05T08:00:00Z',
    exportingAuthority: { memberState: 'FR', name: 'SBDU' },
  });
  issue6.exchange = JSON.parse(text);
  await denialsService.importDenialExchange(ctx, officer, text);
  const [d] = await denialsService.listDenials(ctx, officer, { origin: 'received' });
  issue6.receivedDenialId = d!.id;
  const five = async (make: (i: number) => Promise<string>) => {
    const ids: string[] = [];
    for (let i = 0; i < ROLES.length; i++) ids.push(await make(i));
    return ids;
  };
  issue6.pools.denialStatus = await five(
    async (i) =>
      (
        await denialsService.createDenial(ctx, officer, {
          origin: 'own',
          reference: `MATRIX-STATUS-${i}`,
          deniedOn: '2025-01-01',
          itemDescription: 'Spyware',
          destinationCountry: 'EG',
          parties: [{ role: 'end_user', name: 'Agency', country: 'EG' }],
          reason: 'Criterion 2',
        })
      ).id,
  );
  issue6.pools.denialConsultation = await five(async () => {
    const { app: a } = await makeApplication(ctx, world.exporterA.principal);
    return (await denialsService.openApplicationConsultation(ctx, officer, a.id, { denialId: d!.id })).id;
  });
  const notice = await catchAll.issueCatchAllNotice(ctx, officer, {
    organisationId: world.exporterA.organisationId,
    items: [{ description: 'Facial recognition', categories: ['facial_recognition'] }],
    destinationCountry: 'AE',
    grounds: 'matrix',
  });
  issue6.noticeId = notice.id;
  issue6.pools.awareness = await five(
    async () =>
      (
        await catchAll.notifyCatchAllAwareness(ctx, world.exporterA.principal, {
          items: [{ description: 'Monitoring centre' }],
          destinationCountry: 'EG',
          findings: 'matrix',
        })
      ).id,
  );
  issue6.pools.catchAllConsultation = await five(
    async () => (await catchAll.openNoticeConsultation(ctx, officer, notice.id, { memberStates: ['FR'] })).id,
  );
  const unanimous = await catchAll.openNoticeConsultation(ctx, officer, notice.id, { memberStates: ['NL'] });
  await catchAll.updateNoticeConsultation(ctx, officer, unanimous.id, {
    action: 'respond',
    memberState: 'NL',
    agrees: true,
    version: 1,
  });
  issue6.unanimousConsultationId = unanimous.id;
});
