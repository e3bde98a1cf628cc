/** Kysely table types, one interface per table of src/db/migrations. */
import type { ColumnType, Generated, JSONColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T extends object | null> = JSONColumnType<T, string, string>;
/** A JSON column with a database default: optional on insert. */
type JsonWithDefault<T extends object | null> = JSONColumnType<T, string | undefined, string>;

export interface OrganisationsTable {
  id: string;
  kind: string;
  name: string;
  country: string;
  synthetic: Generated<boolean>;
  created_at: Generated<Date>;
  version: Generated<number>;
}

export interface UsersTable {
  id: string;
  organisation_id: string;
  email: string;
  display_name: string;
  role: string;
  password_hash: string | null;
  disabled: Generated<boolean>;
  synthetic: Generated<boolean>;
  created_at: Generated<Date>;
  version: Generated<number>;
}

export interface SessionsTable {
  token_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: Generated<Date>;
  expires_at: Timestamp;
  last_seen_at: Generated<Date>;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  created_at: Generated<Date>;
  expires_at: Timestamp | null;
  revoked_at: Timestamp | null;
  last_used_at: Timestamp | null;
}

export interface ItemsTable {
  id: string;
  organisation_id: string;
  name: string;
  public_description: string;
  confidential_description: string;
  item_form: string;
  technical_profile: JsonWithDefault<Record<string, unknown>>;
  classification: Json<Record<string, unknown>> | null;
  synthetic: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  version: Generated<number>;
}

export interface PartiesTable {
  id: string;
  organisation_id: string;
  name: string;
  aliases: JsonWithDefault<string[]>;
  country: string;
  address: string;
  party_type: string;
  synthetic: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  version: Generated<number>;
}

export interface ReferenceCountersTable {
  scope: string;
  next_value: number;
}

export interface ApplicationsTable {
  id: string;
  reference: string;
  organisation_id: string;
  created_by: string | null;
  licence_type: string;
  destination_country: string;
  intended_end_use: string;
  export_channel: string;
  status: string;
  submitted_at: Timestamp | null;
  decided_at: Timestamp | null;
  total_value_eur: Generated<number>;
  synthetic: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  version: Generated<number>;
  assigned_officer_id: string | null;
}

export interface ApplicationLinesTable {
  application_id: string;
  line_no: number;
  item_id: string;
  quantity: number;
  unit: string;
  value: number;
  currency: string;
  value_eur: number;
  classification: Json<Record<string, unknown>> | null;
}

export interface ApplicationPartiesTable {
  application_id: string;
  party_id: string;
  role: string;
}

export interface ApplicationTransitionsTable {
  id: Generated<number>;
  application_id: string;
  from_status: string | null;
  to_status: string;
  actor_id: string | null;
  at: Timestamp;
  reason: string | null;
  policy_version: string | null;
}

export interface DecisionsTable {
  id: string;
  application_id: string;
  outcome: string;
  legal_basis: JsonWithDefault<unknown[]>;
  reasons: string;
  conditions: JsonWithDefault<unknown[]>;
  criteria: JsonWithDefault<unknown[]>;
  decided_by: string | null;
  decided_at: Timestamp;
  created_at: Generated<Date>;
  reference: string | null;
  rights_engaged: JsonWithDefault<string[]>;
  evidence: JsonWithDefault<unknown[]>;
  reasons_list: JsonWithDefault<string[]>;
  policy_version: string | null;
  document_html: string | null;
  document_pdf: Uint8Array | null;
  appeal_deadline: string | null;
}

export interface LicencesTable {
  id: string;
  licence_number: string;
  application_id: string;
  organisation_id: string;
  licence_type: string;
  status: string;
  valid_from: string;
  valid_until: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  version: Generated<number>;
  decision_id: string | null;
  lines: JsonWithDefault<{ lineNo: number; quantity: number; valueEur: number }[]>;
  conditions: JsonWithDefault<string[]>;
  eugea_id: string | null;
  validity_verified: Generated<boolean>;
  post_licence_review: Generated<boolean>;
  review_reason: string | null;
}

export interface DocumentsTable {
  id: string;
  organisation_id: string;
  application_id: string | null;
  filename: string;
  media_type: string;
  size_bytes: number;
  sha256: string;
  content: Uint8Array;
  uploaded_by: string | null;
  created_at: Generated<Date>;
}

export interface EvidenceTable {
  id: string;
  title: string;
  summary: string;
  published_on: string | null;
  source_url: string | null;
  evidence_type: string;
  reliability: Generated<string>;
  countries: JsonWithDefault<string[]>;
  end_users: JsonWithDefault<string[]>;
  companies: JsonWithDefault<string[]>;
  item_types: JsonWithDefault<string[]>;
  rights: JsonWithDefault<string[]>;
  confidential: Generated<boolean>;
  status: Generated<string>;
  submitted_by: string | null;
  submitter_contact: string | null;
  moderated_by: string | null;
  moderated_at: Timestamp | null;
  moderation_note: string | null;
  created_at: Generated<Date>;
  version: Generated<number>;
  // evidence registry (0600)
  entered_by: Generated<string>;
  documents_misuse: Generated<boolean>;
  updated_at: Generated<Date>;
}

export interface AuditEventsTable {
  seq: number;
  id: string;
  occurred_at: Timestamp;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  payload: JsonWithDefault<Record<string, unknown>>;
  prev_hash: string;
  content_hash: string;
}

export interface JobsTable {
  id: Generated<number>;
  queue: string;
  payload: JsonWithDefault<Record<string, unknown>>;
  status: Generated<string>;
  run_at: Generated<Date>;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  locked_by: string | null;
  locked_until: Timestamp | null;
  last_error: string | null;
  dedupe_key: string | null;
  created_at: Generated<Date>;
  finished_at: Timestamp | null;
}

export interface ControlListVersionsTable {
  version: string;
  source_file: string;
  sha256: string;
  bytes: number;
  entry_count: number;
  definition_count: number;
  cross_check: Json<Record<string, unknown>> | null;
  is_current: Generated<boolean>;
  imported_by: string;
  imported_at: Generated<Date>;
}

export interface ControlListEntriesTable {
  version: string;
  code: string;
  parent: string | null;
  category: string;
  text: string;
  notes: JsonWithDefault<string[]>;
  technical_notes: JsonWithDefault<string[]>;
  definitions_used: JsonWithDefault<string[]>;
  ordinal: number;
}

export interface ControlListDefinitionsTable {
  version: string;
  term: string;
  categories: JsonWithDefault<string[]>;
  text: string;
  notes: JsonWithDefault<string[]>;
  ordinal: number;
}

export interface WatchlistsTable {
  id: string;
  list_name: string;
  source_kind: string;
  publisher: string;
  published_on: string | null;
  imported_at: Timestamp;
  imported_by: string;
  checksum: string;
  files: JsonWithDefault<string[]>;
  counts: JsonWithDefault<Record<string, unknown>>;
  diff: Json<Record<string, unknown>> | null;
  warnings: JsonWithDefault<string[]>;
  is_current: Generated<boolean>;
}

export interface WatchlistEntriesTable {
  watchlist_id: string;
  source_id: string;
  schema: string;
  name: string;
  entry: Json<Record<string, unknown>>;
}

// ---- evidence (issue 5): columns added to evidence by 0600, attachments, stored assessments, proposals
export interface EvidenceAttachmentsTable {
  id: string;
  evidence_id: string;
  filename: string;
  media_type: string;
  size_bytes: number;
  sha256: string;
  content: Uint8Array;
  created_at: Generated<Date>;
}

export interface AssessmentsTable {
  id: string;
  application_id: string;
  revision: number;
  origin: string;
  recommendation: string;
  confidence01: ColumnType<string, number | string, number | string>;
  model_version: string;
  reference_version: string;
  reference_files: JsonWithDefault<string[]>;
  evidence_ids: JsonWithDefault<string[]>;
  input_hash: string;
  input_snapshot: Json<Record<string, unknown>>;
  result: Json<Record<string, unknown>>;
  safeguard_edits: JsonWithDefault<Record<string, unknown>[]>;
  created_by: string;
  created_at: Generated<Date>;
}

export interface ReassessmentProposalsTable {
  id: string;
  assessment_id: string;
  application_id: string;
  licence_id: string | null;
  action: string;
  previous_recommendation: string;
  current_recommendation: string;
  reasons: JsonWithDefault<string[]>;
  change: JsonWithDefault<Record<string, unknown>>;
  status: Generated<string>;
  created_at: Generated<Date>;
  /** 0850: how an officer closed the proposal. */
  closure: 'actioned' | 'dismissed' | null;
  closure_note: string | null;
  closed_by: string | null;
  closed_at: Date | null;
}

// ---------------------------------------------------------------------------------------------------------------
// Notifications outbox (issue 6 item 8): migration 0700_outbox.sql.
// ---------------------------------------------------------------------------------------------------------------
export interface WebhookSubscriptionsTable {
  id: string;
  url: string;
  events: Json<string[]>;
  secret: string;
  description: Generated<string>;
  created_by: string;
  created_at: Generated<Date>;
  removed_at: Date | null;
}

export interface OutboxMessagesTable {
  id: string;
  kind: 'email' | 'webhook';
  event: string;
  recipient: string;
  subscription_id: string | null;
  organisation_id: string | null;
  payload: Json<Record<string, unknown>>;
  status: Generated<'pending' | 'delivered' | 'dead'>;
  attempts: Generated<number>;
  max_attempts: number;
  last_error: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  delivered_at: Date | null;
}

// --- Screening in the workflow (issue 4): runs, hits, adjudications (migration 0500) ---

export interface ScreeningRunsTable {
  id: string;
  organisation_id: string;
  application_id: string | null;
  trigger: string;
  outcome: string;
  lists: JsonWithDefault<Record<string, unknown>[]>;
  threshold: number;
  parties_screened: number;
  hits_found: number;
  new_hits: number;
  ran_at: Timestamp;
}

export interface ScreeningHitsTable {
  id: string;
  run_id: string;
  organisation_id: string;
  party_id: string;
  party_name: string;
  party_fingerprint: string;
  list_name: string;
  watchlist_id: string;
  source_id: string;
  entry_fingerprint: string;
  entry_name: string;
  matched_alias: string;
  score01: number;
  explanation: Json<Record<string, unknown>>;
  is_new: boolean;
  status: string;
  adjudication_id: string | null;
  created_at: Timestamp;
  version: Generated<number>;
}

export interface ScreeningAdjudicationsTable {
  id: string;
  hit_id: string;
  organisation_id: string;
  party_id: string;
  party_fingerprint: string;
  list_name: string;
  source_id: string;
  entry_fingerprint: string;
  kind: string;
  decision: string;
  reason: string;
  decided_by: string;
  decided_at: Timestamp;
}
// ---- casework (issue 6, migration 0300): columns added to existing tables, and the new tables. ----
export interface CaseDeadlinesTable {
  id: string;
  application_id: string;
  kind: string;
  who: string;
  started_on: string;
  working_days: number;
  due_on: string;
  calendar_id: string;
  verified: boolean;
  source: string;
  closed_at: Timestamp | null;
  created_at: Timestamp;
  /** notifications (0800): when the deadline reminder was sent. */
  reminded_at?: Timestamp | null;
}
export interface InformationRequestsTable {
  id: string;
  application_id: string;
  questions: Json<string[]>;
  working_days: number;
  due_on: string;
  status: string;
  asked_by: string | null;
  asked_at: Timestamp;
  answer: string | null;
  document_ids: JsonWithDefault<string[]>;
  answered_by: string | null;
  answered_at: Timestamp | null;
  version: Generated<number>;
}
export interface LicenceRequirementRecordsTable {
  application_id: string;
  end_use_statement_document_id: string | null;
  icp_document_id: string | null;
  end_use_statement_exempted: Generated<boolean>;
  icp_waived: Generated<boolean>;
  updated_at: Timestamp;
}
export interface LicenceTransitionsTable {
  id: Generated<number>;
  licence_id: string;
  from_status: string | null;
  to_status: string;
  actor: string;
  at: Timestamp;
  reason: string | null;
  policy_version: string | null;
}
export interface LicenceAmendmentsTable {
  id: string;
  licence_id: string;
  kind: string;
  effect: string;
  details: JsonWithDefault<Record<string, unknown>>;
  reasons: JsonWithDefault<string[]>;
  reason: string;
  amended_by: string | null;
  amended_at: Timestamp;
}
export interface LicenceUsageReportsTable {
  id: string;
  licence_id: string;
  entries: Json<
    { lineNo: number; quantity: number; valueEur: number; shippedOn: string; reference: string }[]
  >;
  reported_by: string | null;
  reported_at: Timestamp;
}
export interface AppealsTable {
  id: string;
  decision_id: string;
  application_id: string;
  lodged_on: string;
  deadline: string | null;
  late: Generated<boolean>;
  grounds: string;
  status: string;
  outcome_note: string | null;
  recorded_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}
// ---- Denials (Art 16), catch-all (Art 5), due diligence and ICP (issue 6: migration 0310) ----

export interface DenialImportsTable {
  id: string;
  exporting_member_state: string;
  exporting_authority: string;
  exported_at: Timestamp;
  checksum: string;
  denial_count: number;
  created_count: number;
  updated_count: number;
  imported_by: string;
  imported_at: Timestamp;
}

export interface DenialsTable {
  id: string;
  origin: string;
  kind: string;
  notifying_member_state: string;
  reference: string;
  denied_on: string;
  control_entries: JsonWithDefault<string[]>;
  item_description: string;
  end_use: string;
  destination_country: string;
  parties: JsonWithDefault<unknown[]>;
  reason: string;
  status: string;
  status_changed_on: string | null;
  review_due_on: string;
  application_id: string | null;
  decision_id: string | null;
  organisation_id: string | null;
  import_id: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  version: Generated<number>;
}

export interface DenialChecksTable {
  id: string;
  application_id: string;
  checked_on: string;
  checked_at: Timestamp;
  checked_by: string;
  denials_compared: number;
  matches: JsonWithDefault<unknown[]>;
  kept_denial_ids: JsonWithDefault<string[]>;
  note: string | null;
}

export interface DenialConsultationsTable {
  id: string;
  application_id: string;
  denial_id: string;
  consulted_member_state: string;
  opened_on: string;
  reply_due_on: string;
  extension_working_days: Generated<number>;
  status: string;
  answered_on: string | null;
  answer: string | null;
  opened_by: string;
  created_at: Generated<Date>;
  version: Generated<number>;
}

export interface DenialOverrideNotificationsTable {
  id: string;
  application_id: string;
  denial_ids: Json<string[]>;
  notified_on: string;
  recipients: Json<string[]>;
  explanation: string;
  recorded_by: string;
  created_at: Generated<Date>;
}

export interface CatchAllNoticesTable {
  id: string;
  kind: string;
  reference: string;
  organisation_id: string;
  application_id: string | null;
  dated_on: string;
  items: Json<unknown[]>;
  destination_country: string;
  end_users: JsonWithDefault<string[]>;
  grounds: string;
  legal_basis: string;
  due_diligence_record_id: string | null;
  inform_others_inappropriate: Generated<boolean>;
  inappropriate_reason: string | null;
  duties: JsonWithDefault<unknown[]>;
  status: Generated<string>;
  created_by: string;
  created_at: Generated<Date>;
  version: Generated<number>;
}

export interface CatchAllConsultationsTable {
  id: string;
  notice_id: string;
  informed_on: string;
  member_states: Json<string[]>;
  due_on: string;
  extension_working_days: Generated<number>;
  responses: JsonWithDefault<unknown[]>;
  created_at: Generated<Date>;
  version: Generated<number>;
}

export interface CatchAllPublicationsTable {
  id: string;
  consultation_id: string | null;
  oj_reference: string;
  published_on: string;
  item_description: string;
  categories: JsonWithDefault<string[]>;
  keywords: JsonWithDefault<string[]>;
  destinations: JsonWithDefault<string[]>;
  review_due_on: string;
  withdrawn_on: string | null;
  created_by: string;
  created_at: Generated<Date>;
  version: Generated<number>;
}

export interface DueDiligenceRecordsTable {
  id: string;
  application_id: string;
  organisation_id: string;
  answers: JsonWithDefault<Record<string, unknown>>;
  questionnaire_version: string;
  updated_by: string;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  version: Generated<number>;
}

export interface IcpSelfAssessmentsTable {
  organisation_id: string;
  answers: JsonWithDefault<Record<string, string>>;
  definition_version: string;
  updated_by: string;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  version: Generated<number>;
}

// --- publication (issue 7) ---
export interface ReportDraftsTable {
  id: string;
  authority_id: string;
  period_id: string;
  granularity: string;
  status: string;
  report_json: Uint8Array;
  content_sha256: string;
  applications: number;
  notices: JsonWithDefault<{ reference: string; reason: string }[]>;
  correction_note: string | null;
  built_at: Timestamp;
  built_by: string;
  reviewed_at: Timestamp | null;
  reviewed_by: string | null;
  review_note: string | null;
  published_revision: number | null;
  version: Generated<number>;
}

export interface ReportRevisionsTable {
  period_id: string;
  revision: number;
  report_id: string;
  authority_id: string;
  authority_name: string;
  granularity: string;
  published_at: Timestamp;
  published_by: string;
  note: string | null;
  content_sha256: string;
  supersedes_sha256: string | null;
  summary: string;
  draft_id: string;
}

export interface ReportFilesTable {
  period_id: string;
  revision: number;
  name: string;
  media_type: string;
  sha256: string;
  size_bytes: number;
  content: Uint8Array;
}

export interface PublicRegisterRowsTable {
  reference: string;
  period_id: string;
  revision: number;
  published_at: Timestamp;
  received_on: string | null;
  decided_on: string | null;
  destination_country: string | null;
  decision: string | null;
  licence_type: string | null;
  end_user_type: string | null;
  control_entries: string[];
  total_value_eur: string | null;
  search_text: string;
  row_json: Json<Record<string, unknown>>;
}

/** Every table, by name (one list: a migration that adds a table adds its line here). */
export interface DB {
  screening_runs: ScreeningRunsTable;
  screening_hits: ScreeningHitsTable;
  screening_adjudications: ScreeningAdjudicationsTable;
  watchlists: WatchlistsTable;
  watchlist_entries: WatchlistEntriesTable;
  control_list_versions: ControlListVersionsTable;
  control_list_entries: ControlListEntriesTable;
  control_list_definitions: ControlListDefinitionsTable;
  organisations: OrganisationsTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  items: ItemsTable;
  parties: PartiesTable;
  reference_counters: ReferenceCountersTable;
  applications: ApplicationsTable;
  application_lines: ApplicationLinesTable;
  application_parties: ApplicationPartiesTable;
  application_transitions: ApplicationTransitionsTable;
  decisions: DecisionsTable;
  licences: LicencesTable;
  documents: DocumentsTable;
  evidence: EvidenceTable;
  audit_events: AuditEventsTable;
  jobs: JobsTable;
  evidence_attachments: EvidenceAttachmentsTable;
  assessments: AssessmentsTable;
  reassessment_proposals: ReassessmentProposalsTable;
  webhook_subscriptions: WebhookSubscriptionsTable;
  outbox_messages: OutboxMessagesTable;
  case_deadlines: CaseDeadlinesTable;
  information_requests: InformationRequestsTable;
  licence_requirement_records: LicenceRequirementRecordsTable;
  licence_transitions: LicenceTransitionsTable;
  licence_amendments: LicenceAmendmentsTable;
  licence_usage_reports: LicenceUsageReportsTable;
  appeals: AppealsTable;
  denial_imports: DenialImportsTable;
  denials: DenialsTable;
  denial_checks: DenialChecksTable;
  denial_consultations: DenialConsultationsTable;
  denial_override_notifications: DenialOverrideNotificationsTable;
  catch_all_notices: CatchAllNoticesTable;
  catch_all_consultations: CatchAllConsultationsTable;
  catch_all_publications: CatchAllPublicationsTable;
  due_diligence_records: DueDiligenceRecordsTable;
  icp_self_assessments: IcpSelfAssessmentsTable;
  report_drafts: ReportDraftsTable;
  report_revisions: ReportRevisionsTable;
  report_files: ReportFilesTable;
  public_register_rows: PublicRegisterRowsTable;
}
