-- The exporter dashboard lists an organisation's applications latest changed first (summariseExporterDashboard); this
-- index gives those few rows without sorting all of an exporter's applications (thousands in the 1,000,000-row
-- benchmark database).
create index applications_organisation_updated_idx on applications (organisation_id, updated_at desc);
