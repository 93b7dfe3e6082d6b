CREATE INDEX import_run_started IF NOT EXISTS FOR (r:ImportRun) ON (r.started_at)
