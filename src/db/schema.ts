/** Kysely table types, one interface per table of src/db/migrations. */
import type { ColumnType, Generated, JSONColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T extends object | null> = JSONColumnType<T, string, string>;

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
  technical_profile: Json<Record<string, unknown>>;
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
  aliases: Json<string[]>;
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
}

export interface DecisionsTable {
  id: string;
  application_id: string;
  outcome: string;
  legal_basis: Json<unknown[]>;
  reasons: string;
  conditions: Json<unknown[]>;
  criteria: Json<unknown[]>;
  decided_by: string | null;
  decided_at: Timestamp;
  created_at: Generated<Date>;
}

export interface LicencesTable {
  id: string;
  licence_number: string;
  application_id: string;
  organisation_id: string;
  licence_type: string;
  status: string;
  valid_from: string;
  valid_until: string;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  version: Generated<number>;
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
  countries: Json<string[]>;
  end_users: Json<string[]>;
  companies: Json<string[]>;
  item_types: Json<string[]>;
  rights: Json<string[]>;
  confidential: Generated<boolean>;
  status: Generated<string>;
  submitted_by: string | null;
  submitter_contact: string | null;
  moderated_by: string | null;
  moderated_at: Timestamp | null;
  moderation_note: string | null;
  created_at: Generated<Date>;
  version: Generated<number>;
}

export interface AuditEventsTable {
  seq: number;
  id: string;
  occurred_at: Timestamp;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  payload: Json<Record<string, unknown>>;
  prev_hash: string;
  content_hash: string;
}

export interface JobsTable {
  id: Generated<number>;
  queue: string;
  payload: Json<Record<string, unknown>>;
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
  notes: Json<string[]>;
  technical_notes: Json<string[]>;
  definitions_used: Json<string[]>;
  ordinal: number;
}

export interface ControlListDefinitionsTable {
  version: string;
  term: string;
  categories: Json<string[]>;
  text: string;
  notes: Json<string[]>;
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
  files: Json<string[]>;
  counts: Json<Record<string, unknown>>;
  diff: Json<Record<string, unknown>> | null;
  warnings: Json<string[]>;
  is_current: Generated<boolean>;
}

export interface WatchlistEntriesTable {
  watchlist_id: string;
  source_id: string;
  schema: string;
  name: string;
  entry: Json<Record<string, unknown>>;
}

export interface DB {
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
  report_drafts: ReportDraftsTable;
  report_revisions: ReportRevisionsTable;
  report_files: ReportFilesTable;
  public_register_rows: PublicRegisterRowsTable;
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
  notices: Json<{ reference: string; reason: string }[]>;
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
