CREATE TEXT INDEX person_masked_search IF NOT EXISTS FOR (n:Person) ON (n.m_search_text)
