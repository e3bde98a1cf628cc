-- Each application's report record gets its digest, kept by the database as the record is written (a stored
-- generated column: no trigger to forget). A report's cache of register blocks (ADR 0009) keys a month by the digests
-- of its applications' records, read without reading or converting the records themselves.
alter table report_sources add column record_md5 text generated always as (md5(record::text)) stored;

-- A month's digest and the trend's groups of earlier periods read only this index (index-only scans: no record is read),
-- and a report's open applications (few, pending) are found without walking the period's settled ones.
create index report_sources_digest_idx on report_sources (reporting_on)
  include (status, application_id, record_md5, organisation_id, settled_on, received_on, value_cents, memos);
create index report_sources_open_idx on report_sources (reporting_on)
  where status in ('submitted', 'in_assessment', 'information_requested', 'in_consultation');
