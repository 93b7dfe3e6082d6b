CREATE INDEX import_run_status IF NOT EXISTS FOR (r:ImportRun) ON (r.status)
