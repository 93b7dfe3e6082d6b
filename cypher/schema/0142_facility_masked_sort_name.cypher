CREATE INDEX facility_masked_sort_name IF NOT EXISTS FOR (n:Facility) ON (n.m_sort_name)
