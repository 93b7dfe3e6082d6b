CREATE INDEX case_masked_sort_name IF NOT EXISTS FOR (n:Case) ON (n.m_sort_name)
