-- Each application's report record gets its digest, kept by the database as the record is written (a stored
-- generated column: no trigger to forget). A report's cache of register blocks (ADR 0009) keys a month by the digests
-- of its applications' records, read without reading or converting the records themselves.
alter table report_sources add column record_md5 text generated always as (md5(record::text)) stored;

-- A month's digest reads only this index (an index-only scan: no record is read), and a report's open applications
-- (few, pending) are found without walking the period's settled ones. The lines' classifications (`memos`, which the
-- trend's groups need) stay out of it: their size has no bound (up to 200 lines), and a B-tree entry must stay under
-- 2.7 KB, so an application with many could not be written.
create index report_sources_digest_idx on report_sources (reporting_on)
  include (status, application_id, record_md5);
create index report_sources_open_idx on report_sources (reporting_on)
  where status in ('submitted', 'in_assessment', 'information_requested', 'in_consultation');
