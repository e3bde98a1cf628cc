-- Foundation: organisations, users, access, catalogue, parties, applications, decisions, licences,
-- documents, evidence, the hash-chained audit log and the jobs queue.
-- Runs unchanged on PGlite (PostgreSQL 17/18) and PostgreSQL 15: no PostgreSQL 16+ features.

create table organisations (
  id uuid primary key,
  kind text not null check (kind in ('exporter', 'authority')),
  name text not null,
  country char(2) not null,
  synthetic boolean not null default false,
  created_at timestamptz not null default now(),
  version integer not null default 1
);
create unique index organisations_name_key on organisations (lower(name));

create table users (
  id uuid primary key,
  organisation_id uuid not null references organisations (id),
  email text not null,
  display_name text not null,
  role text not null check (role in ('exporter', 'officer', 'administrator')),
  password_hash text,
  disabled boolean not null default false,
  synthetic boolean not null default false,
  created_at timestamptz not null default now(),
  version integer not null default 1
);
create unique index users_email_key on users (lower(email));

create table sessions (
  token_hash text primary key,
  user_id uuid not null references users (id) on delete cascade,
  csrf_token text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  last_seen_at timestamptz not null default now()
);
create index sessions_user_idx on sessions (user_id);

create table api_tokens (
  id uuid primary key,
  user_id uuid not null references users (id) on delete cascade,
  name text not null,
  token_hash text not null unique,
  created_at timestamptz not null default now(),
  expires_at timestamptz,
  revoked_at timestamptz,
  last_used_at timestamptz
);

create table items (
  id uuid primary key,
  organisation_id uuid not null references organisations (id),
  name text not null,
  public_description text not null default '',
  confidential_description text not null default '',
  item_form text not null check (item_form in ('hardware', 'software', 'technology')),
  technical_profile jsonb not null default '{}'::jsonb,
  classification jsonb,
  synthetic boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1
);
create index items_organisation_idx on items (organisation_id);

create table parties (
  id uuid primary key,
  organisation_id uuid not null references organisations (id),
  name text not null,
  aliases jsonb not null default '[]'::jsonb,
  country char(2) not null,
  address text not null default '',
  party_type text not null check (party_type in ('government_body', 'police', 'intelligence', 'military',
    'state_owned_company', 'telecom_operator', 'private_company', 'research_institution', 'individual')),
  synthetic boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1
);
create index parties_organisation_idx on parties (organisation_id);

create table reference_counters (
  scope text primary key,
  next_value integer not null
);

create table applications (
  id uuid primary key,
  reference text not null unique,
  organisation_id uuid not null references organisations (id),
  created_by uuid references users (id),
  licence_type text not null check (licence_type in ('individual', 'global', 'eu_general_registration',
    'large_project', 'national_general')),
  destination_country char(2) not null,
  intended_end_use text not null default '',
  export_channel text not null default 'physical',
  status text not null,
  submitted_at timestamptz,
  decided_at timestamptz,
  total_value_eur numeric(18, 2) not null default 0,
  synthetic boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1
);
create index applications_organisation_idx on applications (organisation_id, created_at desc);
create index applications_status_idx on applications (status, submitted_at);
create index applications_destination_idx on applications (destination_country);
create index applications_decided_idx on applications (decided_at);

create table application_lines (
  application_id uuid not null references applications (id) on delete cascade,
  line_no integer not null,
  item_id uuid not null references items (id),
  quantity numeric(18, 3) not null check (quantity > 0),
  unit text not null,
  value numeric(18, 2) not null check (value >= 0),
  currency char(3) not null,
  value_eur numeric(18, 2) not null check (value_eur >= 0),
  primary key (application_id, line_no)
);
create index application_lines_item_idx on application_lines (item_id);

create table application_parties (
  application_id uuid not null references applications (id) on delete cascade,
  party_id uuid not null references parties (id),
  role text not null check (role in ('consignee', 'end_user', 'ultimate_end_user', 'intermediary', 'broker', 'agent')),
  primary key (application_id, party_id, role)
);
create index application_parties_party_idx on application_parties (party_id);

create table application_transitions (
  id bigserial primary key,
  application_id uuid not null references applications (id) on delete cascade,
  from_status text,
  to_status text not null,
  actor_id uuid references users (id),
  at timestamptz not null,
  reason text
);
create index application_transitions_app_idx on application_transitions (application_id, id);

create table decisions (
  id uuid primary key,
  application_id uuid not null references applications (id),
  outcome text not null check (outcome in ('granted', 'granted_with_conditions', 'denied')),
  legal_basis jsonb not null default '[]'::jsonb,
  reasons text not null,
  conditions jsonb not null default '[]'::jsonb,
  criteria jsonb not null default '[]'::jsonb,
  decided_by uuid references users (id),
  decided_at timestamptz not null,
  created_at timestamptz not null default now()
);
create index decisions_application_idx on decisions (application_id);

create table licences (
  id uuid primary key,
  licence_number text not null unique,
  application_id uuid not null references applications (id),
  organisation_id uuid not null references organisations (id),
  licence_type text not null,
  status text not null check (status in ('active', 'suspended', 'revoked', 'annulled', 'expired', 'exhausted')),
  valid_from date not null,
  valid_until date not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1
);
create index licences_organisation_idx on licences (organisation_id);

create table documents (
  id uuid primary key,
  organisation_id uuid not null references organisations (id),
  application_id uuid references applications (id) on delete cascade,
  filename text not null,
  media_type text not null,
  size_bytes integer not null check (size_bytes >= 0),
  sha256 char(64) not null,
  content bytea not null,
  uploaded_by uuid references users (id),
  created_at timestamptz not null default now()
);
create index documents_application_idx on documents (application_id);

create table evidence (
  id uuid primary key,
  title text not null,
  summary text not null,
  published_on date,
  source_url text,
  evidence_type text not null,
  reliability text not null default 'unassessed',
  countries jsonb not null default '[]'::jsonb,
  end_users jsonb not null default '[]'::jsonb,
  companies jsonb not null default '[]'::jsonb,
  item_types jsonb not null default '[]'::jsonb,
  rights jsonb not null default '[]'::jsonb,
  confidential boolean not null default false,
  status text not null default 'pending' check (status in ('pending', 'accepted', 'rejected')),
  submitted_by uuid references users (id),
  submitter_contact text,
  moderated_by uuid references users (id),
  moderated_at timestamptz,
  moderation_note text,
  created_at timestamptz not null default now(),
  version integer not null default 1
);
create index evidence_status_idx on evidence (status, created_at);

-- The audit log. seq is assigned under an advisory lock by the writer, so it has no gaps; each event stores the
-- SHA-256 of the previous event's content hash (prev_hash) and of its own canonical content (content_hash).
create table audit_events (
  seq bigint primary key,
  id uuid not null unique,
  occurred_at timestamptz not null,
  actor text not null,
  action text not null,
  entity_type text not null,
  entity_id text,
  payload jsonb not null default '{}'::jsonb,
  prev_hash char(64) not null,
  content_hash char(64) not null
);
create index audit_events_entity_idx on audit_events (entity_type, entity_id);

-- Background jobs, claimed with FOR UPDATE SKIP LOCKED so several processes share the work.
create table jobs (
  id bigserial primary key,
  queue text not null,
  payload jsonb not null default '{}'::jsonb,
  status text not null default 'pending' check (status in ('pending', 'running', 'done', 'failed', 'dead')),
  run_at timestamptz not null default now(),
  attempts integer not null default 0,
  max_attempts integer not null default 5,
  locked_by text,
  locked_until timestamptz,
  last_error text,
  dedupe_key text,
  created_at timestamptz not null default now(),
  finished_at timestamptz
);
create index jobs_claim_idx on jobs (queue, run_at) where status in ('pending', 'failed');
create unique index jobs_dedupe_idx on jobs (queue, dedupe_key) where dedupe_key is not null and status in ('pending', 'running', 'failed');
