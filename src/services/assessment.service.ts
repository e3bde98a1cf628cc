/**
 * Human-rights assessment of an application (issue 5): the model and restrictive measures from policy/, country
 * profiles from the indicator files in the reference-data folder (when present), the engine in engines/assessment.
 */
import fs from 'node:fs';
import path from 'node:path';
import type {
  Assessment,
  AssessmentInput,
  CountryProfile,
  IndicatorProvenance,
} from '../domain/assessment.ts';
import type { AssessmentReference } from '../engines/assessment/assess-application.ts';
import { isCountryCode } from '../domain/codes.ts';
import { DomainError } from '../domain/errors.ts';
import type { Principal } from '../domain/model.ts';
import {
  assessApplication,
  buildCountryProfiles,
  hashCanonical,
  parseAssessmentInput,
  renderAssessmentMemo,
} from '../engines/assessment/index.ts';
import {
  importHumanRightsReference,
  loadAssessmentModel,
  loadRestrictiveMeasures,
  locateHumanRightsFiles,
} from '../importers/human-rights/index.ts';
import { isStaff, requireSignedIn } from './authorization.ts';
import type { ServiceContext } from './context.ts';
import { findRegistryEvidence } from './evidence.service.ts';

export interface ReferenceStatus {
  /** Indicator files read from the reference-data folder. */
  loaded: string[];
  /** Indicator files not found: every indicator they carry counts as unknown (lower confidence, named in the memo). */
  missing: string[];
  folder: string;
}

interface LoadedReference {
  reference: AssessmentReference;
  status: ReferenceStatus;
  /** Where each indicator dataset came from (source, publisher's date, checksum); empty when none is loaded. */
  provenance: IndicatorProvenance[];
}
const cache = new Map<string, LoadedReference>();

/**
 * The assessment reference for this instance: restrictive measures (policy) and country profiles built from the
 * indicator files under `<reference-data>/human-rights` and `<reference-data>/surveillance-evidence`.
 */
export function assessmentReference(ctx: ServiceContext): LoadedReference {
  const folder = ctx.config.referenceDataDir;
  const hit = cache.get(folder);
  if (hit) return hit;
  const files = locateHumanRightsFiles(folder);
  const present = Object.values(files).filter((f) => fs.existsSync(f));
  const missing = Object.values(files)
    .filter((f) => !fs.existsSync(f))
    .map((f) => path.relative(folder, f));
  let loaded: LoadedReference;
  if (missing.length === 0) {
    const imported = importHumanRightsReference(files);
    loaded = {
      reference: imported.reference,
      status: { loaded: present.map((f) => path.relative(folder, f)), missing, folder },
      provenance: imported.sets.map((s) => s.provenance),
    };
  } else {
    const measures = loadRestrictiveMeasures();
    loaded = {
      reference: {
        version: `measures ${measures.version}; data none (${hashCanonical(missing).slice(7, 15)})`,
        measures: measures.measures,
        profiles: buildCountryProfiles([], measures.measures),
      },
      status: { loaded: [], missing, folder },
      provenance: [],
    };
  }
  cache.set(folder, loaded);
  return loaded;
}

let model: ReturnType<typeof loadAssessmentModel> | undefined;
export const assessmentModel = () => (model ??= loadAssessmentModel());

/** Which registry records an assessment used (ids as cited in its findings, `registry:<uuid>`). */
export interface RegistryEvidenceStatus {
  consulted: boolean;
  ids: string[];
  note: string;
}

/**
 * Add the accepted registry evidence linked to an application (destination, party countries, party names) to the
 * evidence the input carries. Confidential records are added only for staff. Without a database (the file-only
 * CLI) the registry is not consulted and the status says so.
 */
export async function withRegistryEvidence(
  ctx: ServiceContext,
  actor: Principal,
  raw: unknown,
): Promise<{ input: AssessmentInput; registry: RegistryEvidenceStatus }> {
  const input = parseAssessmentInput(raw);
  if (!(ctx.db as unknown))
    return {
      input,
      registry: { consulted: false, ids: [], note: 'No database: the evidence registry was not consulted.' },
    };
  const records = await findRegistryEvidence(ctx.db, {
    destination: input.destination,
    parties: input.parties,
    capabilities: input.items.flatMap((i) => i.capabilities),
    includeConfidential: isStaff(actor),
  });
  const known = new Set(input.evidence.map((e) => e.id));
  const added = records.filter((r) => !known.has(r.id));
  return {
    input: { ...input, evidence: [...input.evidence, ...added] },
    registry: {
      consulted: true,
      ids: added.map((r) => r.id),
      note: isStaff(actor)
        ? 'Accepted registry evidence, confidential records included (staff).'
        : 'Accepted, non-confidential registry evidence.',
    },
  };
}

/**
 * Assess an application given in the published input format (policy/assessment/assessment-input.schema.json),
 * with the accepted registry evidence linked to it alongside the evidence the input carries.
 */
export async function assessApplicationInput(
  ctx: ServiceContext,
  actor: Principal,
  raw: unknown,
): Promise<{ assessment: Assessment; reference: ReferenceStatus; registry: RegistryEvidenceStatus }> {
  requireSignedIn(actor);
  const { reference, status } = assessmentReference(ctx);
  const { input, registry } = await withRegistryEvidence(ctx, actor, raw);
  return { assessment: assessApplication(input, assessmentModel(), reference), reference: status, registry };
}

export function renderMemo(assessment: Assessment, lang: 'en' | 'fr' | 'de' = 'en'): string {
  return renderAssessmentMemo(assessment, { lang });
}

/** The country profile of an ISO 3166-1 alpha-2 code: indicators with source and year, measures, safeguards. */
export function countryProfile(
  ctx: ServiceContext,
  code: string,
): { profile: CountryProfile; reference: ReferenceStatus } {
  const upper = code.toUpperCase();
  if (!isCountryCode(upper))
    throw new DomainError('INVALID', `"${code}" is not an ISO 3166-1 alpha-2 country code.`, {
      issues: [{ path: 'country', message: 'unknown code' }],
    });
  const { reference, status } = assessmentReference(ctx);
  const profile = reference.profiles[upper];
  if (!profile) throw new DomainError('NOT_FOUND', `No profile for ${upper}.`);
  return { profile, reference: status };
}
