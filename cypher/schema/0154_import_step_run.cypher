CREATE INDEX import_step_run IF NOT EXISTS FOR (s:ImportStep) ON (s.run)
