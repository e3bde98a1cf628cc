-- Screening in the workflow (issue 4): parties screened on submission and re-screened when a list changes, the hits
-- found, and the adjudications remembered per party and list entry until either changes.

create table screening_runs (
  id uuid primary key,
  organisation_id uuid not null references organisations (id),
  application_id uuid references applications (id) on delete cascade,
  trigger text not null,
  outcome text not null,
  lists jsonb not null default '[]'::jsonb,
  threshold double precision not null,
  parties_screened integer not null,
  hits_found integer not null,
  new_hits integer not null,
  ran_at timestamptz not null
);
create index screening_runs_application_idx on screening_runs (application_id, ran_at desc);
create index screening_runs_organisation_idx on screening_runs (organisation_id, ran_at desc);

create table screening_hits (
  id uuid primary key,
  run_id uuid not null references screening_runs (id) on delete cascade,
  organisation_id uuid not null references organisations (id),
  party_id uuid not null references parties (id) on delete cascade,
  party_name text not null,
  party_fingerprint char(64) not null,
  list_name text not null,
  watchlist_id uuid not null,
  source_id text not null,
  entry_fingerprint char(64) not null,
  entry_name text not null,
  matched_alias text not null,
  score01 double precision not null,
  explanation jsonb not null,
  is_new boolean not null,
  status text not null,
  adjudication_id uuid,
  created_at timestamptz not null,
  version integer not null default 1
);
create index screening_hits_party_idx on screening_hits (party_id, list_name, source_id);
create index screening_hits_organisation_idx on screening_hits (organisation_id, created_at desc);
create index screening_hits_run_idx on screening_hits (run_id);

create table screening_adjudications (
  id uuid primary key,
  hit_id uuid not null references screening_hits (id) on delete cascade,
  organisation_id uuid not null references organisations (id),
  party_id uuid not null references parties (id) on delete cascade,
  party_fingerprint char(64) not null,
  list_name text not null,
  source_id text not null,
  entry_fingerprint char(64) not null,
  kind text not null,
  decision text not null,
  reason text not null,
  decided_by text not null,
  decided_at timestamptz not null
);
create index screening_adjudications_key_idx
  on screening_adjudications (party_id, list_name, source_id, entry_fingerprint, party_fingerprint, decided_at desc);
