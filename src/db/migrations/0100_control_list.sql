-- Classification (issue 3): the control list as versioned reference data, and classifications on application lines.

create table control_list_versions (
  version text primary key,
  source_file text not null,
  sha256 char(64) not null,
  bytes integer not null,
  entry_count integer not null,
  definition_count integer not null,
  cross_check jsonb,
  is_current boolean not null default false,
  imported_by text not null,
  imported_at timestamptz not null default now()
);
create unique index control_list_versions_current_idx on control_list_versions (is_current) where is_current;

create table control_list_entries (
  version text not null references control_list_versions (version) on delete cascade,
  code text not null,
  parent text,
  category text not null,
  text text not null,
  notes jsonb not null default '[]'::jsonb,
  technical_notes jsonb not null default '[]'::jsonb,
  definitions_used jsonb not null default '[]'::jsonb,
  ordinal integer not null,
  primary key (version, code)
);
create index control_list_entries_parent_idx on control_list_entries (version, parent);

create table control_list_definitions (
  version text not null references control_list_versions (version) on delete cascade,
  term text not null,
  categories jsonb not null default '[]'::jsonb,
  text text not null,
  notes jsonb not null default '[]'::jsonb,
  ordinal integer not null,
  -- A term can be defined more than once (for different categories), so the key is its position.
  primary key (version, ordinal)
);
create index control_list_definitions_term_idx on control_list_definitions (version, term);

-- The classification of each line, with the list, policy and profile versions used (copied from the item's).
alter table application_lines add column classification jsonb;
