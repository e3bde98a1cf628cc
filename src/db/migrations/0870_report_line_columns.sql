-- Transparency report reading at scale (issue 7 §7), second step. A line's classification snapshot is the whole
-- classification result (reasons, questions, provenance: most of a line's ~850 bytes), yet a report needs only two
-- facts from it: the matched Annex I entries and the cyber-surveillance flag. They are kept beside it as one short
-- text, derived by the database itself (a generated column can never disagree with the snapshot), and a covering
-- index holds every column a report reads from a line, so that a year's report scans the narrow index instead of
-- the wide table. The text is '1' or '0' (the flag) followed by the matched entries as JSON text; null when the line
-- has no snapshot (the reader then falls back to the item's classification, as before).
alter table application_lines add column report_classification text generated always as (
  case when classification is null then null
    else (case when (classification -> 'cyberSurveillance') = 'true'::jsonb then '1' else '0' end)
      || coalesce((classification -> 'matchedEntries')::text, '') end) stored;

create index application_lines_report_idx on application_lines (application_id, line_no)
  include (item_id, quantity, unit, value_eur, report_classification);
