CREATE INDEX evidence_masked_sort_name IF NOT EXISTS FOR (n:Evidence) ON (n.m_sort_name)
