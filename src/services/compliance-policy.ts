/**
 * The single loader of policy/workflow: every workflow policy file (casework's lifecycle, licence types and EUGEAs
 * in casework/policy.ts; denial, catch-all, due-diligence and record-keeping policy here) is read and parsed once.
 */
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

/** Reads and parses policy/workflow/<file> on first use; later calls return the cached value. */
export function loadWorkflowPolicy<T>(file: string, parse: (text: string, sourceName: string) => T): T {
  const hit = cache.get(file);
  if (hit !== undefined) return hit as T;
  const full = path.join(WORKFLOW_POLICY_DIR, file);
  if (!fs.existsSync(full))
    throw new DomainError('UNAVAILABLE', `The policy file policy/workflow/${file} is missing.`);
  const value = parse(fs.readFileSync(full, 'utf8'), `policy/workflow/${file}`);
  cache.set(file, value);
  return value;
}

export const catchAllPolicy = (): CatchAllPolicy => loadWorkflowPolicy('catch-all.yaml', parseCatchAllPolicy);
export const dueDiligenceQuestionnaire = (): DueDiligenceQuestionnaire =>
  loadWorkflowPolicy('due-diligence.yaml', parseDueDiligenceQuestionnaire);
export const icpDefinition = (): IcpSelfAssessmentDefinition =>
  loadWorkflowPolicy('icp-self-assessment.yaml', parseIcpSelfAssessment);
export const recordKinds = (): RecordKinds => loadWorkflowPolicy('record-kinds.yaml', parseRecordKinds);

/** The working-day calendar of policy/workflow/holidays-<id>.yaml. */
export const holidayCalendar = (id: string): WorkingCalendar =>
  loadWorkflowPolicy(`holidays-${id}.yaml`, (text, name) =>
    createWorkingCalendar(parseHolidayPolicy(text, name)),
  );

/** The authority's working-day calendar (policy/workflow/holidays-<country>.yaml). */
export const authorityCalendar = (ctx: ServiceContext): WorkingCalendar =>
  holidayCalendar(ctx.config.authority.country.toLowerCase());

/** Today's date (UTC) from the service clock. */
export const todayOf = (ctx: ServiceContext): IsoDate => ctx.now().toISOString().slice(0, 10);
