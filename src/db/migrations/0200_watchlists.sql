-- Screening (issue 4): restricted-party lists as versioned reference data with provenance.

create table watchlists (
  id uuid primary key,
  list_name text not null,
  source_kind text not null,
  publisher text not null,
  published_on text,
  imported_at timestamptz not null,
  imported_by text not null,
  checksum char(64) not null,
  files jsonb not null default '[]'::jsonb,
  counts jsonb not null default '{}'::jsonb,
  diff jsonb,
  warnings jsonb not null default '[]'::jsonb,
  is_current boolean not null default false
);
create unique index watchlists_current_idx on watchlists (list_name) where is_current;
create index watchlists_name_idx on watchlists (list_name, imported_at desc);

create table watchlist_entries (
  watchlist_id uuid not null references watchlists (id) on delete cascade,
  source_id text not null,
  schema text not null,
  name text not null,
  entry jsonb not null,
  primary key (watchlist_id, source_id)
);
