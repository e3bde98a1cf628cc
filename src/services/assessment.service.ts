/**
 * Human-rights assessment of an application (issue 5): the model and restrictive measures from policy/, country
 * profiles from the indicator files in the reference-data folder (when present), the engine in engines/assessment.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Assessment, CountryProfile } from '../domain/assessment.ts';
import type { AssessmentReference } from '../engines/assessment/assess-application.ts';
import { isCountryCode } from '../domain/codes.ts';
import { DomainError } from '../domain/errors.ts';
import type { Principal } from '../domain/model.ts';
import {
  assessApplication,
  buildCountryProfiles,
  hashCanonical,
  renderAssessmentMemo,
} from '../engines/assessment/index.ts';
import {
  importHumanRightsReference,
  loadAssessmentModel,
  loadRestrictiveMeasures,
  locateHumanRightsFiles,
} from '../importers/human-rights/index.ts';
import { requireSignedIn } from './authorization.ts';
import type { ServiceContext } from './context.ts';

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
    loaded = {
      reference: importHumanRightsReference(files).reference,
      status: { loaded: present.map((f) => path.relative(folder, f)), missing, folder },
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
    };
  }
  cache.set(folder, loaded);
  return loaded;
}

let model: ReturnType<typeof loadAssessmentModel> | undefined;
const assessmentModel = () => (model ??= loadAssessmentModel());

/** Assess an application given in the published input format (policy/assessment/assessment-input.schema.json). */
export function assessApplicationInput(
  ctx: ServiceContext,
  actor: Principal,
  raw: unknown,
): { assessment: Assessment; reference: ReferenceStatus } {
  requireSignedIn(actor);
  const { reference, status } = assessmentReference(ctx);
  return { assessment: assessApplication(raw, assessmentModel(), reference), reference: status };
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
