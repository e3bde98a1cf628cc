/** Workflow policy for case handling, read once per process from policy/workflow and validated by the engine parsers. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createWorkingCalendar,
  parseEugeaPolicy,
  parseHolidayPolicy,
  parseLicenceTypePolicy,
  parseLifecyclePolicy,
  type EugeaPolicy,
  type LicenceTypePolicy,
  type LifecyclePolicy,
  type WorkingCalendar,
} from '../../engines/workflow/index.ts';
import type { ServiceContext } from '../context.ts';

const POLICY_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'policy',
  'workflow',
);

const read = (file: string): [string, string] => [
  fs.readFileSync(path.join(POLICY_DIR, file), 'utf8'),
  `policy/workflow/${file}`,
];

let lifecycle: LifecyclePolicy | undefined;
let licenceTypes: LicenceTypePolicy | undefined;
let eugeas: EugeaPolicy | undefined;
const calendars = new Map<string, WorkingCalendar>();

/** The application and licence state machines (policy/workflow/lifecycle.yaml). */
export const lifecyclePolicy = (): LifecyclePolicy =>
  (lifecycle ??= parseLifecyclePolicy(...read('lifecycle.yaml')));

/** Licence types: validity, Art 12(4) requirements, amendments (policy/workflow/licence-types.yaml). */
export const licenceTypePolicy = (): LicenceTypePolicy =>
  (licenceTypes ??= parseLicenceTypePolicy(...read('licence-types.yaml')));

/** EU general export authorisations EU001-EU008 (policy/workflow/eugea.yaml). */
export const eugeaPolicy = (): EugeaPolicy => (eugeas ??= parseEugeaPolicy(...read('eugea.yaml')));

/** The authority's working-day calendar: policy/workflow/holidays-<CUSTOS_HOLIDAY_CALENDAR>.yaml (default de). */
export function workingCalendar(ctx: ServiceContext): WorkingCalendar {
  const id = ctx.config.casework.holidayCalendar;
  let cal = calendars.get(id);
  if (!cal) {
    cal = createWorkingCalendar(parseHolidayPolicy(...read(`holidays-${id}.yaml`)));
    calendars.set(id, cal);
  }
  return cal;
}

/** Today's date (UTC) from the service clock, as the engines count days. */
export const todayOf = (ctx: ServiceContext): string => ctx.now().toISOString().slice(0, 10);
