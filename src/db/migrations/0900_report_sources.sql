-- Transparency report reading at scale (issue 7 §7), third step: the report source kept by the database.
--
-- A periodic report needs, for every submitted application whose reporting date falls in the period, one record:
-- reference, licence type, destination, status, dates, the latest decision's criteria, whether another Member State
-- was consulted, its lines (with the report's short form of their classification) and its parties. Read with joins
-- of five tables, a year of 1,000,000 applications kept one PostgreSQL backend busy for ~7.5 s and the trend's
-- grouping of every line for 4-6 s more. Here that record is kept per application, at each commit, in one narrow
-- table: a report reads it with one index range scan, and the trend groups one row per application.
--
-- `report_source_view` is the definition (what a record is, from the base tables); `report_sources` is its
-- materialization. Statement-level triggers on every table the definition reads (applications, application_lines,
-- application_parties, decisions, application_transitions, and items: a line without its own classification
-- snapshot takes its item's) note the applications touched; when the transaction commits, a deferred trigger
-- refreshes each of them once with `report_sources_refresh(ids)`. A test writes through every path and
-- compares the table with the view on both backends. The parties' and items' own text (names, confidential
-- descriptions) and the organisations' names are not copied here: the reader reads those few rows by id.
--
-- Record layout (a JSON array, so that a row is parsed with one JSON.parse):
--   [id, reference, organisation_id, licence_type, destination_country, status, received_on, settled_on, criteria,
--    consulted, lines: [[line_no, item_id, quantity, unit, value_eur, memo], ...] by line_no,
--    parties: [[party_id, role], ...]]
-- where memo is the line's classification in the report's short form ('1'/'0' for the cyber-surveillance flag,
-- then the matched entries as JSON text), and settled_on is the decision date (coalesce(decided_at, updated_at)).

create view report_source_view as
select a.id as application_id,
  (case when a.status in ('submitted', 'in_assessment', 'information_requested', 'in_consultation')
      then (a.submitted_at at time zone 'UTC')::date
    else (coalesce(a.decided_at, a.updated_at) at time zone 'UTC')::date end) as reporting_on,
  a.status,
  a.organisation_id,
  (a.submitted_at at time zone 'UTC')::date as received_on,
  (coalesce(a.decided_at, a.updated_at) at time zone 'UTC')::date as settled_on,
  coalesce(l.value_cents, 0)::bigint as value_cents,
  coalesce(l.memos, '{}') as memos,
  json_build_array(a.id, a.reference, a.organisation_id, a.licence_type, a.destination_country, a.status,
    to_char(a.submitted_at at time zone 'UTC', 'YYYY-MM-DD'),
    to_char(coalesce(a.decided_at, a.updated_at) at time zone 'UTC', 'YYYY-MM-DD'),
    d.criteria,
    exists (select 1 from application_transitions t
      where t.application_id = a.id and t.to_status = 'in_consultation'),
    coalesce(l.lines, '[]'::json),
    coalesce(p.parties, '[]'::json)) as record
from applications a
  left join lateral (select d.criteria from decisions d where d.application_id = a.id
    order by d.decided_at desc, d.id desc limit 1) d on true
  left join lateral (select sum((x.value_eur * 100)::bigint) as value_cents,
      array_agg(distinct x.memo) as memos,
      json_agg(json_build_array(x.line_no, x.item_id, x.quantity, x.unit, x.value_eur, x.memo)
        order by x.line_no) as lines
    from (select l.line_no, l.item_id, l.quantity, l.unit, l.value_eur,
        coalesce(l.report_classification,
          (case when (i.classification -> 'cyberSurveillance') = 'true'::jsonb then '1' else '0' end)
            || coalesce((i.classification -> 'matchedEntries')::text, ''),
          '0') as memo
      from application_lines l left join items i on i.id = l.item_id
      where l.application_id = a.id) x) l on true
  left join lateral (select json_agg(json_build_array(ap.party_id, ap.role)
      order by ap.party_id, ap.role) as parties
    from application_parties ap where ap.application_id = a.id) p on true
where a.submitted_at is not null
  and a.status in ('submitted', 'in_assessment', 'information_requested', 'in_consultation', 'granted',
    'granted_with_conditions', 'denied', 'withdrawn');

create table report_sources (
  application_id uuid primary key references applications (id) on delete cascade,
  reporting_on date not null,
  status text not null,
  organisation_id uuid not null,
  received_on date not null,
  settled_on date not null,
  value_cents bigint not null,
  memos text[] not null,
  record json not null
);
create index report_sources_reporting_on_idx on report_sources (reporting_on);

-- Recomputes the rows of these applications from the view: written when reportable, removed when not (a draft).
-- The applications are locked first (advisory, in id order, until the transaction ends), so that two transactions
-- changing one application refresh it one after the other and the second computes from what the first committed.
create function report_sources_refresh(ids uuid[]) returns void language plpgsql as $$
begin
  if ids is null or cardinality(ids) = 0 then return; end if;
  perform pg_advisory_xact_lock(727100, hashtext(x.id::text))
    from (select distinct id from unnest(ids) as u(id) order by id) x;
  -- One statement, so that each application's record is computed once: written when reportable, removed when not.
  with fresh as (select * from report_source_view where application_id = any(ids)),
    gone as (delete from report_sources r where r.application_id = any(ids)
      and r.application_id not in (select application_id from fresh))
  insert into report_sources (application_id, reporting_on, status, organisation_id, received_on, settled_on,
      value_cents, memos, record)
    select application_id, reporting_on, status, organisation_id, received_on, settled_on, value_cents, memos, record
    from fresh
  on conflict (application_id) do update set reporting_on = excluded.reporting_on, status = excluded.status,
    organisation_id = excluded.organisation_id, received_on = excluded.received_on,
    settled_on = excluded.settled_on, value_cents = excluded.value_cents, memos = excluded.memos,
    record = excluded.record;
end $$;

-- The applications a transaction touched wait here until it commits; then they are refreshed once each, in one
-- set-based statement (a bulk load writes an application's row, lines, parties, history and decision in five
-- statements: refreshed at each, it would be computed five times). Keyed by transaction, so that two transactions
-- touching one application each refresh it.
create table report_sources_pending (
  txid xid8 not null default pg_current_xact_id(),
  application_id uuid not null,
  primary key (txid, application_id)
);

create function report_sources_flush() returns trigger language plpgsql as $$
declare ids uuid[];
begin
  -- The first of the transaction's deferred events takes every pending application; the others find none.
  with taken as (delete from report_sources_pending where txid = pg_current_xact_id() returning application_id)
  select array_agg(application_id) into ids from taken;
  perform report_sources_refresh(ids);
  return null;
end $$;

create constraint trigger report_sources_pending_flush after insert on report_sources_pending
  deferrable initially deferred for each row execute function report_sources_flush();

-- Statement-level triggers record the applications each statement touched (bulk loads stay set-based).
create function report_sources_touch_applications() returns trigger language plpgsql as $$
begin
  -- A deleted application's row goes with it (on delete cascade): inserts and updates only.
  insert into report_sources_pending (application_id) select distinct id from new_rows on conflict do nothing;
  return null;
end $$;

create function report_sources_touch_children() returns trigger language plpgsql as $$
begin
  if tg_op in ('INSERT', 'UPDATE') then
    insert into report_sources_pending (application_id) select distinct application_id from new_rows
      on conflict do nothing;
  end if;
  if tg_op in ('UPDATE', 'DELETE') then
    insert into report_sources_pending (application_id) select distinct application_id from old_rows
      on conflict do nothing;
  end if;
  return null;
end $$;

-- An item's classification reaches the lines that have no snapshot of their own.
create function report_sources_touch_items() returns trigger language plpgsql as $$
begin
  insert into report_sources_pending (application_id)
    select distinct l.application_id from new_rows n join old_rows o on o.id = n.id
      join application_lines l on l.item_id = n.id
    where n.classification is distinct from o.classification and l.classification is null
  on conflict do nothing;
  return null;
end $$;

create trigger report_sources_applications_insert after insert on applications
  referencing new table as new_rows for each statement execute function report_sources_touch_applications();
create trigger report_sources_applications_update after update on applications
  referencing new table as new_rows for each statement execute function report_sources_touch_applications();

-- An application's own rows: the same three triggers on each table (transition tables need one trigger per event).
do $$
declare t text;
begin
  foreach t in array array['application_lines', 'application_parties', 'decisions', 'application_transitions'] loop
    execute format('create trigger %I after insert on %I referencing new table as new_rows
      for each statement execute function report_sources_touch_children()', 'report_sources_' || t || '_insert', t);
    execute format('create trigger %I after update on %I referencing old table as old_rows new table as new_rows
      for each statement execute function report_sources_touch_children()', 'report_sources_' || t || '_update', t);
    execute format('create trigger %I after delete on %I referencing old table as old_rows
      for each statement execute function report_sources_touch_children()', 'report_sources_' || t || '_delete', t);
  end loop;
end $$;

create trigger report_sources_items_update after update on items
  referencing old table as old_rows new table as new_rows
  for each statement execute function report_sources_touch_items();

-- The applications already in the database.
insert into report_sources (application_id, reporting_on, status, organisation_id, received_on, settled_on,
    value_cents, memos, record)
  select application_id, reporting_on, status, organisation_id, received_on, settled_on, value_cents, memos, record
  from report_source_view;

-- The report no longer reads applications by the reporting-date expression, nor lines through their covering index.
drop index if exists applications_reporting_on_idx;
drop index if exists application_lines_report_idx;
