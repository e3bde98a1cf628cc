/** Loads the workflow policy files the denial, catch-all, due-diligence and record-keeping services use, once each. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DomainError } from '../domain/errors.ts';
import type { IsoDate } from '../domain/workflow.ts';
import {
  createWorkingCalendar,
  parseCatchAllPolicy,
  parseDueDiligenceQuestionnaire,
  parseHolidayPolicy,
  parseIcpSelfAssessment,
  parseRecordKinds,
  type CatchAllPolicy,
  type DueDiligenceQuestionnaire,
  type IcpSelfAssessmentDefinition,
  type RecordKinds,
  type WorkingCalendar,
} from '../engines/workflow/index.ts';
import type { ServiceContext } from './context.ts';

export const WORKFLOW_POLICY_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'policy',
  'workflow',
);

const cache = new Map<string, unknown>();

function loadOnce<T>(file: string, parse: (text: string, sourceName: string) => T): T {
  const hit = cache.get(file);
  if (hit !== undefined) return hit as T;
  const full = path.join(WORKFLOW_POLICY_DIR, file);
  if (!fs.existsSync(full))
    throw new DomainError('UNAVAILABLE', `The policy file policy/workflow/${file} is missing.`);
  const value = parse(fs.readFileSync(full, 'utf8'), `policy/workflow/${file}`);
  cache.set(file, value);
  return value;
}

export const catchAllPolicy = (): CatchAllPolicy => loadOnce('catch-all.yaml', parseCatchAllPolicy);
export const dueDiligenceQuestionnaire = (): DueDiligenceQuestionnaire =>
  loadOnce('due-diligence.yaml', parseDueDiligenceQuestionnaire);
export const icpDefinition = (): IcpSelfAssessmentDefinition =>
  loadOnce('icp-self-assessment.yaml', parseIcpSelfAssessment);
export const recordKinds = (): RecordKinds => loadOnce('record-kinds.yaml', parseRecordKinds);

/** The authority's working-day calendar (policy/workflow/holidays-<country>.yaml). */
export function authorityCalendar(ctx: ServiceContext): WorkingCalendar {
  const country = ctx.config.authority.country.toLowerCase();
  return loadOnce(`holidays-${country}.yaml`, (text, name) =>
    createWorkingCalendar(parseHolidayPolicy(text, name)),
  );
}

/** Today's date (UTC) from the service clock. */
export const todayOf = (ctx: ServiceContext): IsoDate => ctx.now().toISOString().slice(0, 10);
