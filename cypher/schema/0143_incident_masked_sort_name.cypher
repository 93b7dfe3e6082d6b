CREATE INDEX incident_masked_sort_name IF NOT EXISTS FOR (n:Incident) ON (n.m_sort_name)
