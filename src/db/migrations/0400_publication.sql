-- Publication (issue 7): report drafts and their review queue, immutable published revisions with their files, and
-- the public register as published (one row per application, from the latest publication that contains it).

create table report_drafts (
  id uuid primary key,
  authority_id text not null,
  period_id text not null,
  granularity text not null check (granularity in ('month', 'quarter', 'year')),
  status text not null check (status in ('draft', 'approved', 'rejected', 'published', 'unchanged')),
  -- report.json of the built report (public content only); what the reviewer sees is what is published.
  report_json bytea not null,
  content_sha256 char(64) not null,
  applications integer not null,
  notices jsonb not null default '[]'::jsonb,
  correction_note text,
  built_at timestamptz not null,
  built_by text not null,
  reviewed_at timestamptz,
  reviewed_by text,
  review_note text,
  published_revision integer,
  version integer not null default 1
);
create index report_drafts_period_idx on report_drafts (period_id, built_at desc);
create index report_drafts_status_idx on report_drafts (status, built_at);

create table report_revisions (
  period_id text not null,
  revision integer not null check (revision >= 1),
  report_id text not null,
  authority_id text not null,
  authority_name text not null,
  granularity text not null,
  published_at timestamptz not null,
  published_by text not null,
  note text,
  content_sha256 char(64) not null,
  supersedes_sha256 char(64),
  summary text not null,
  draft_id uuid not null references report_drafts (id),
  primary key (period_id, revision)
);
create index report_revisions_published_idx on report_revisions (published_at desc);

create table report_files (
  period_id text not null,
  revision integer not null,
  name text not null,
  media_type text not null,
  sha256 char(64) not null,
  size_bytes integer not null check (size_bytes >= 0),
  content bytea not null,
  primary key (period_id, revision, name),
  foreign key (period_id, revision) references report_revisions (period_id, revision)
);

-- A published revision and its files never change: no update, no delete.
create function custos_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception 'published report revisions are immutable (%)', tg_table_name using errcode = '55000';
end;
$$;
create trigger report_revisions_immutable before update or delete on report_revisions
  for each row execute function custos_refuse_change();
create trigger report_files_immutable before update or delete on report_files
  for each row execute function custos_refuse_change();

-- The public register as published: the row of each application from the newest publication that contains it.
create table public_register_rows (
  reference text primary key,
  period_id text not null,
  revision integer not null,
  published_at timestamptz not null,
  received_on date,
  decided_on date,
  destination_country text,
  decision text,
  licence_type text,
  end_user_type text,
  control_entries text[] not null default '{}',
  total_value_eur numeric(18, 2),
  search_text text not null default '',
  row_json jsonb not null
);
create index public_register_rows_decided_idx on public_register_rows (decided_on, reference);
create index public_register_rows_destination_idx on public_register_rows (destination_country);
