CREATE INDEX unit_masked_sort_name IF NOT EXISTS FOR (n:Unit) ON (n.m_sort_name)
