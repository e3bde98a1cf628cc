/** Public surface of the assessment engine. */
export {
  assessApplication,
  parseAssessmentInput,
  normaliseIndicator,
  normaliseName,
  namesMatch,
  type AssessmentReference,
} from './assess-application.ts';
export {
  parseAssessmentModel,
  parseRestrictiveMeasures,
  parseCountryNameTable,
  type AssessmentModel,
  type CountryNameTable,
  type RestrictiveMeasuresFile,
} from './assessment-model.ts';
export {
  buildCountryProfiles,
  EU001_DESTINATIONS,
  type BuildCountryProfilesOptions,
} from './country-profile.ts';
export { renderAssessmentMemo, MEMO_LANGUAGES, type MemoLanguage } from './assessment-memo.ts';
export { hashCanonical, toCanonicalJson } from './canonical-hash.ts';
export {
  isAffectedByChange,
  proposeReassessmentAction,
  REASSESSMENT_ACTIONS,
  type ReassessmentAction,
  type ReassessmentProposal,
  type ReferenceChange,
} from './reassessment.ts';
export {
  applySafeguardEdit,
  safeguardEditSchema,
  type SafeguardAuditRecord,
  type SafeguardEdit,
} from './safeguard-checklist.ts';
export {
  buildApplicationAssessmentInput,
  deriveItemCapabilities,
  FACT_CAPABILITIES,
  type AssessmentSupplement,
  type StoredApplicationForAssessment,
} from './application-input.ts';
export { renderAssessmentMemoPdf, type MemoPdfOptions } from './assessment-memo-pdf.ts';
