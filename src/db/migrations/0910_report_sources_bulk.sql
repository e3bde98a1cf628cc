-- The report source kept by the database (0900, ADR 0008) at the scale of one transaction touching many
-- applications: a bulk reclassification of lines, an administrator's bulk correction, a repair. Two faults, found
-- when 100,000 applications' lines were updated in one statement:
--
-- 1. Commit time grew with the square of the applications touched (PostgreSQL 15: 2,500 applications 2.4 s, 5,000
--    7.0 s, 10,000 30.8 s; refreshing the same 10,000 directly took 1.0 s). Each application noted in
--    `report_sources_pending` queued its own deferred trigger event; the first event took every pending row and
--    the other n - 1 each ran a delete that found nothing, but only after stepping over the n dead index entries of
--    the rows the first had taken. Now a transaction queues one event: the touch functions mark the transaction in
--    `report_sources_flush_due` (one row per transaction; a second mark conflicts and queues nothing) and the
--    deferred trigger sits on that table. A flush forced earlier (`set constraints ... immediate`) removes the mark,
--    so a later change in the same transaction marks it, and is refreshed, again.
--
-- 2. One advisory lock per application refreshed overflowed the shared lock table, sized max_locks_per_transaction
--    x (max_connections + max_prepared_transactions): about 6,400 on a default PostgreSQL; PGlite failed between
--    16,000 and 32,000. The commit failed with "out of shared memory" (SQLSTATE 53200) and wrote nothing. Now an
--    application's lock is one of 256 stripes (its id's hash modulo 256), taken in stripe order: the guarantee is
--    unchanged (two transactions refreshing one application take the same stripe, so the second computes from what
--    the first committed; ordered acquisition cannot deadlock) and a transaction holds at most 256 of these locks.
--    The cost: two commits whose applications share a stripe refresh one after the other (for a commit touching one
--    application, 1 chance in 256 of waiting for the other's refresh), and a bulk commit covering every stripe
--    holds concurrent commits until its refresh is done.
create or replace function report_sources_refresh(ids uuid[]) returns void language plpgsql as $$
begin
  if ids is null or cardinality(ids) = 0 then return; end if;
  perform pg_advisory_xact_lock(727100, x.stripe)
    from (select distinct hashtext(u.id::text) & 255 as stripe from unnest(ids) as u(id) order by 1) x;
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

-- The transactions with applications waiting in report_sources_pending and a flush queued for their commit.
create table report_sources_flush_due (
  txid xid8 primary key default pg_current_xact_id()
);

drop trigger report_sources_pending_flush on report_sources_pending;

create or replace function report_sources_flush() returns trigger language plpgsql as $$
declare ids uuid[];
begin
  delete from report_sources_flush_due where txid = pg_current_xact_id();
  with taken as (delete from report_sources_pending where txid = pg_current_xact_id() returning application_id)
  select array_agg(application_id) into ids from taken;
  perform report_sources_refresh(ids);
  return null;
end $$;

-- Same name as 0900's trigger, so that `set constraints report_sources_pending_flush immediate` still names it.
create constraint trigger report_sources_pending_flush after insert on report_sources_flush_due
  deferrable initially deferred for each row execute function report_sources_flush();

-- Queues the transaction's flush once: a transaction already marked conflicts, and a skipped row fires nothing.
create function report_sources_mark_due() returns void language sql as $$
  insert into report_sources_flush_due default values on conflict do nothing;
$$;

create or replace function report_sources_touch_applications() returns trigger language plpgsql as $$
declare touched bigint;
begin
  -- A deleted application's row goes with it (on delete cascade): inserts and updates only.
  insert into report_sources_pending (application_id) select distinct id from new_rows on conflict do nothing;
  get diagnostics touched = row_count;
  if touched > 0 then perform report_sources_mark_due(); end if;
  return null;
end $$;

create or replace function report_sources_touch_children() returns trigger language plpgsql as $$
declare touched bigint := 0; more bigint;
begin
  if tg_op in ('INSERT', 'UPDATE') then
    insert into report_sources_pending (application_id) select distinct application_id from new_rows
      on conflict do nothing;
    get diagnostics touched = row_count;
  end if;
  if tg_op in ('UPDATE', 'DELETE') then
    insert into report_sources_pending (application_id) select distinct application_id from old_rows
      on conflict do nothing;
    get diagnostics more = row_count;
    touched := touched + more;
  end if;
  if touched > 0 then perform report_sources_mark_due(); end if;
  return null;
end $$;

-- An item's classification reaches the lines that have no snapshot of their own.
create or replace function report_sources_touch_items() returns trigger language plpgsql as $$
declare touched bigint;
begin
  insert into report_sources_pending (application_id)
    select distinct l.application_id from new_rows n join old_rows o on o.id = n.id
      join application_lines l on l.item_id = n.id
    where n.classification is distinct from o.classification and l.classification is null
  on conflict do nothing;
  get diagnostics touched = row_count;
  if touched > 0 then perform report_sources_mark_due(); end if;
  return null;
end $$;
