-- Evidence registry and stored assessments (issue 5): the evidence table of 0001 gains provenance of entry,
-- a misuse flag and an update stamp; attachments of evidence; assessments stored per application with their
-- inputs' versions; re-assessment proposals recorded for the officer.

alter table evidence add column entered_by text not null default 'public'
  check (entered_by in ('public', 'user', 'staff'));
alter table evidence add column documents_misuse boolean not null default true;
alter table evidence add column updated_at timestamptz not null default now();
create index evidence_public_idx on evidence (published_on desc) where status = 'accepted' and not confidential;

create table evidence_attachments (
  id uuid primary key,
  evidence_id uuid not null references evidence (id) on delete cascade,
  filename text not null,
  media_type text not null,
  size_bytes integer not null check (size_bytes > 0),
  sha256 char(64) not null,
  content bytea not null,
  created_at timestamptz not null default now()
);
create index evidence_attachments_evidence_idx on evidence_attachments (evidence_id);

create table assessments (
  id uuid primary key,
  application_id uuid not null references applications (id),
  revision integer not null,
  -- 'run' (an officer ran it), 'safeguard_edit' (recomputed after a checklist edit), 'reassessment'.
  origin text not null check (origin in ('run', 'safeguard_edit', 'reassessment')),
  recommendation text not null,
  confidence01 numeric(6, 3) not null,
  model_version text not null,
  reference_version text not null,
  reference_files jsonb not null default '[]'::jsonb,
  evidence_ids jsonb not null default '[]'::jsonb,
  input_hash text not null,
  input_snapshot jsonb not null,
  result jsonb not null,
  safeguard_edits jsonb not null default '[]'::jsonb,
  created_by text not null,
  created_at timestamptz not null default now(),
  unique (application_id, revision)
);
create index assessments_application_idx on assessments (application_id, revision desc);

create table reassessment_proposals (
  id uuid primary key,
  assessment_id uuid not null references assessments (id),
  application_id uuid not null references applications (id),
  licence_id uuid references licences (id),
  action text not null check (action in ('review', 'propose_suspension', 'propose_revocation')),
  previous_recommendation text not null,
  current_recommendation text not null,
  reasons jsonb not null default '[]'::jsonb,
  change jsonb not null default '{}'::jsonb,
  status text not null default 'open' check (status in ('open', 'closed')),
  created_at timestamptz not null default now()
);
create index reassessment_proposals_application_idx on reassessment_proposals (application_id, created_at desc);
