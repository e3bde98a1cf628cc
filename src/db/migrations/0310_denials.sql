-- Denials (Art 16), catch-all (Art 5), exporter due diligence and ICP self-assessment, record keeping (Art 27).
-- Issue 6, items 3, 4, 5 and 7. Runs on PGlite and PostgreSQL 15.

-- Imported exchange files: provenance of received denials (the file is refused whole when bad, so no row then).
create table denial_imports (
  id uuid primary key,
  exporting_member_state char(2) not null,
  exporting_authority text not null,
  exported_at timestamptz not null,
  checksum char(64) not null,
  denial_count integer not null,
  created_count integer not null,
  updated_count integer not null,
  imported_by text not null,
  imported_at timestamptz not null
);

-- The register: this authority's own denials and those received from other Member States.
create table denials (
  id uuid primary key,
  origin text not null check (origin in ('own', 'received')),
  kind text not null check (kind in ('refusal', 'annulment', 'suspension', 'modification', 'revocation')),
  notifying_member_state char(2) not null,
  reference text not null,
  denied_on date not null,
  control_entries jsonb not null default '[]'::jsonb,
  item_description text not null,
  end_use text not null default '',
  destination_country char(2) not null,
  parties jsonb not null default '[]'::jsonb,
  reason text not null,
  status text not null check (status in ('in_force', 'revoked', 'expired')),
  status_changed_on date,
  review_due_on date not null,
  application_id uuid references applications (id) on delete set null,
  decision_id uuid references decisions (id) on delete set null,
  organisation_id uuid references organisations (id),
  import_id uuid references denial_imports (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1
);
create unique index denials_reference_key on denials (notifying_member_state, reference);
create index denials_status_idx on denials (status, destination_country);
create unique index denials_decision_key on denials (decision_id) where decision_id is not null;

-- Each essentially-identical check on an application: what was compared and found (the officer's record).
create table denial_checks (
  id uuid primary key,
  application_id uuid not null references applications (id) on delete cascade,
  checked_on date not null,
  checked_at timestamptz not null,
  checked_by text not null,
  denials_compared integer not null,
  matches jsonb not null default '[]'::jsonb,
  kept_denial_ids jsonb not null default '[]'::jsonb,
  note text
);
create index denial_checks_application_idx on denial_checks (application_id, checked_at desc);

-- Art 16(2) consultations of the Member State that issued an essentially identical denial.
create table denial_consultations (
  id uuid primary key,
  application_id uuid not null references applications (id) on delete cascade,
  denial_id uuid not null references denials (id) on delete cascade,
  consulted_member_state char(2) not null,
  opened_on date not null,
  reply_due_on date not null,
  extension_working_days integer not null default 0,
  status text not null check (status in ('open', 'extended', 'answered_identical', 'answered_not_identical',
    'lapsed_not_identical', 'withdrawn')),
  answered_on date,
  answer text,
  opened_by text not null,
  created_at timestamptz not null default now(),
  version integer not null default 1
);
create unique index denial_consultations_open_key on denial_consultations (application_id, denial_id)
  where status in ('open', 'extended');
create index denial_consultations_application_idx on denial_consultations (application_id);

-- Art 16(2): the notification to the Member States and the Commission when granting despite a denial.
create table denial_override_notifications (
  id uuid primary key,
  application_id uuid not null references applications (id) on delete cascade,
  denial_ids jsonb not null,
  notified_on date not null,
  recipients jsonb not null,
  explanation text not null,
  recorded_by text not null,
  created_at timestamptz not null default now()
);
create index denial_override_notifications_application_idx on denial_override_notifications (application_id);

-- Art 5(1)/(3) notices to an exporter, and Art 5(2) notifications of awareness from an exporter.
create table catch_all_notices (
  id uuid primary key,
  kind text not null check (kind in ('notice', 'awareness')),
  reference text not null unique,
  organisation_id uuid not null references organisations (id),
  application_id uuid references applications (id) on delete set null,
  dated_on date not null,
  items jsonb not null,
  destination_country char(2) not null,
  end_users jsonb not null default '[]'::jsonb,
  grounds text not null,
  legal_basis text not null,
  due_diligence_record_id uuid,
  inform_others_inappropriate boolean not null default false,
  inappropriate_reason text,
  duties jsonb not null default '[]'::jsonb,
  status text not null default 'open' check (status in ('open', 'licence_required', 'no_licence_required')),
  created_by text not null,
  created_at timestamptz not null default now(),
  version integer not null default 1
);
create index catch_all_notices_organisation_idx on catch_all_notices (organisation_id, dated_on desc);

-- Art 5(4)-(5): the other Member States informed and consulted (30 working days, unverified).
create table catch_all_consultations (
  id uuid primary key,
  notice_id uuid not null references catch_all_notices (id) on delete cascade,
  informed_on date not null,
  member_states jsonb not null,
  due_on date not null,
  extension_working_days integer not null default 0,
  responses jsonb not null default '[]'::jsonb,
  created_at timestamptz not null default now(),
  version integer not null default 1
);
create index catch_all_consultations_notice_idx on catch_all_consultations (notice_id);

-- Art 5(6)-(7) (unverified): items and destinations published after all Member States agreed.
create table catch_all_publications (
  id uuid primary key,
  consultation_id uuid references catch_all_consultations (id) on delete set null,
  oj_reference text not null,
  published_on date not null,
  item_description text not null,
  categories jsonb not null default '[]'::jsonb,
  keywords jsonb not null default '[]'::jsonb,
  destinations jsonb not null default '[]'::jsonb,
  review_due_on date not null,
  withdrawn_on date,
  created_by text not null,
  created_at timestamptz not null default now(),
  version integer not null default 1
);

-- The exporter's due-diligence record for one application (Rec. 2024/2659, UNGPs).
create table due_diligence_records (
  id uuid primary key,
  application_id uuid not null unique references applications (id) on delete cascade,
  organisation_id uuid not null references organisations (id),
  answers jsonb not null default '{}'::jsonb,
  questionnaire_version text not null,
  updated_by text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1
);

-- The organisation's internal compliance programme self-assessment (Rec. 2019/1318, seven elements).
create table icp_self_assessments (
  organisation_id uuid primary key references organisations (id),
  answers jsonb not null default '{}'::jsonb,
  definition_version text not null,
  updated_by text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1
);
