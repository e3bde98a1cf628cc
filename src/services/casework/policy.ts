/** Workflow policy for case handling, read once per process (via the workflow policy loader) and validated by the engine parsers. */
import {
  parseEugeaPolicy,
  parseLicenceTypePolicy,
  parseLifecyclePolicy,
  type EugeaPolicy,
  type LicenceTypePolicy,
  type LifecyclePolicy,
  type WorkingCalendar,
} from '../../engines/workflow/index.ts';
import { holidayCalendar, loadWorkflowPolicy } from '../compliance-policy.ts';
import type { ServiceContext } from '../context.ts';

export { todayOf } from '../compliance-policy.ts';

/** The application and licence state machines (policy/workflow/lifecycle.yaml). */
export const lifecyclePolicy = (): LifecyclePolicy =>
  loadWorkflowPolicy('lifecycle.yaml', parseLifecyclePolicy);

/** Licence types: validity, Art 12(4) requirements, amendments (policy/workflow/licence-types.yaml). */
export const licenceTypePolicy = (): LicenceTypePolicy =>
  loadWorkflowPolicy('licence-types.yaml', parseLicenceTypePolicy);

/** EU general export authorisations EU001-EU008 (policy/workflow/eugea.yaml). */
export const eugeaPolicy = (): EugeaPolicy => loadWorkflowPolicy('eugea.yaml', parseEugeaPolicy);

/** The casework working-day calendar: policy/workflow/holidays-<CUSTOS_HOLIDAY_CALENDAR>.yaml (default de). */
export const workingCalendar = (ctx: ServiceContext): WorkingCalendar =>
  holidayCalendar(ctx.config.casework.holidayCalendar);
