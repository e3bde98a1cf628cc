-- The public register's default page order (listPublicRegister: newest decision first, empty dates last, ties by the
-- reference) read from an index instead of sorting every published row. Measured with bench/perf/register-pages
-- (300,000 published rows, 2026-12-01, with the query's two-step read): the first page 28 ms on PGlite and 63 ms on
-- PostgreSQL. The other sorts (received, value, reference) sort the narrow keys of all rows, a few hundred ms at that
-- size: an index each would make publishing slower for a rarer request (see docs/transparency.md).
-- The ascending decided-on order is served by public_register_rows_decided_idx (0400).
create index public_register_rows_decided_desc_idx on public_register_rows (decided_on desc nulls last, reference desc);
