CREATE INDEX person_masked_sort_name IF NOT EXISTS FOR (n:Person) ON (n.m_sort_name)
