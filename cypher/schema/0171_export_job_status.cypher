CREATE INDEX export_job_status IF NOT EXISTS FOR (j:ExportJob) ON (j.status)
