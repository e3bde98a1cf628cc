-- Transparency report reading at scale (issue 7 §7): the register source is selected by its reporting date (the
-- decision date in UTC, or the receipt date while pending). This index is on exactly the expression the reader
-- (src/services/publication/register-source.reader.ts, REPORTING_ON_SQL) filters by, so a month or a quarter is
-- read by an index range scan instead of a scan of every application. Not partial: the planner
-- uses an expression index's statistics (after ANALYZE) only when the index has no predicate, and without them it
-- guesses 0.5% of the rows for any range, choosing nested loops for a report that reads most of the table. The partial index on consultation transitions
-- answers "was another Member State consulted" per application without reading the whole status history.

create index applications_reporting_on_idx on applications ((case
    when status in ('submitted', 'in_assessment', 'information_requested', 'in_consultation')
      then (submitted_at at time zone 'UTC')::date
    else (coalesce(decided_at, updated_at) at time zone 'UTC')::date end));

create index application_transitions_consultation_idx on application_transitions (application_id)
  where to_status = 'in_consultation';

create index decisions_application_decided_idx on decisions (application_id, decided_at desc);
