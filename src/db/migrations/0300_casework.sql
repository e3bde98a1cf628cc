-- Case handling (issue 6): assignment, deadlines, information requests, reasoned decisions with their documents,
-- licences (lines, transitions, amendments, usage reports), appeals and the licence requirements on file.

alter table applications add column assigned_officer_id uuid references users (id);
create index applications_assigned_idx on applications (assigned_officer_id);
alter table application_transitions add column policy_version text;

-- A deadline started when a case enters a state (policy/workflow/lifecycle.yaml stateDeadlines); closed on leaving.
create table case_deadlines (
  id uuid primary key,
  application_id uuid not null references applications (id) on delete cascade,
  kind text not null,
  who text not null,
  started_on date not null,
  working_days integer not null check (working_days > 0),
  due_on date not null,
  calendar_id text not null,
  verified boolean not null,
  source text not null,
  closed_at timestamptz,
  created_at timestamptz not null
);
create index case_deadlines_app_idx on case_deadlines (application_id, created_at);
create index case_deadlines_open_idx on case_deadlines (due_on) where closed_at is null;

create table information_requests (
  id uuid primary key,
  application_id uuid not null references applications (id) on delete cascade,
  questions jsonb not null,
  working_days integer not null check (working_days > 0),
  due_on date not null,
  status text not null check (status in ('open', 'answered', 'closed')),
  asked_by uuid references users (id),
  asked_at timestamptz not null,
  answer text,
  document_ids jsonb not null default '[]'::jsonb,
  answered_by uuid references users (id),
  answered_at timestamptz,
  version integer not null default 1
);
create index information_requests_app_idx on information_requests (application_id, asked_at);

-- What Art 12(4) asks to have on file (end-use statement, internal compliance programme) or what the authority waived.
create table licence_requirement_records (
  application_id uuid primary key references applications (id) on delete cascade,
  end_use_statement_document_id uuid references documents (id),
  icp_document_id uuid references documents (id),
  end_use_statement_exempted boolean not null default false,
  icp_waived boolean not null default false,
  updated_at timestamptz not null
);

alter table decisions add column reference text;
alter table decisions add column rights_engaged jsonb not null default '[]'::jsonb;
alter table decisions add column evidence jsonb not null default '[]'::jsonb;
alter table decisions add column reasons_list jsonb not null default '[]'::jsonb;
alter table decisions add column policy_version text;
alter table decisions add column document_html text;
alter table decisions add column document_pdf bytea;
alter table decisions add column appeal_deadline date;

alter table licences add column decision_id uuid references decisions (id);
alter table licences add column lines jsonb not null default '[]'::jsonb;
alter table licences add column conditions jsonb not null default '[]'::jsonb;
alter table licences add column eugea_id text;
alter table licences add column validity_verified boolean not null default true;
alter table licences add column post_licence_review boolean not null default false;
alter table licences add column review_reason text;
alter table licences alter column valid_until drop not null;

create table licence_transitions (
  id bigserial primary key,
  licence_id uuid not null references licences (id) on delete cascade,
  from_status text,
  to_status text not null,
  actor text not null,
  at timestamptz not null,
  reason text,
  policy_version text
);
create index licence_transitions_licence_idx on licence_transitions (licence_id, id);

create table licence_amendments (
  id uuid primary key,
  licence_id uuid not null references licences (id) on delete cascade,
  kind text not null,
  effect text not null,
  details jsonb not null default '{}'::jsonb,
  reasons jsonb not null default '[]'::jsonb,
  reason text not null,
  amended_by uuid references users (id),
  amended_at timestamptz not null
);
create index licence_amendments_licence_idx on licence_amendments (licence_id, amended_at);

create table licence_usage_reports (
  id uuid primary key,
  licence_id uuid not null references licences (id) on delete cascade,
  entries jsonb not null,
  reported_by uuid references users (id),
  reported_at timestamptz not null
);
create index licence_usage_reports_licence_idx on licence_usage_reports (licence_id, reported_at);

create table appeals (
  id uuid primary key,
  decision_id uuid not null references decisions (id),
  application_id uuid not null references applications (id),
  lodged_on date not null,
  deadline date,
  late boolean not null default false,
  grounds text not null,
  status text not null check (status in ('lodged', 'upheld', 'dismissed', 'withdrawn')),
  outcome_note text,
  recorded_by uuid references users (id),
  created_at timestamptz not null,
  updated_at timestamptz not null,
  version integer not null default 1
);
create index appeals_application_idx on appeals (application_id);
