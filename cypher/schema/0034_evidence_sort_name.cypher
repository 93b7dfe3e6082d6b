CREATE INDEX evidence_sort_name IF NOT EXISTS FOR (n:Evidence) ON (n.sort_name)
