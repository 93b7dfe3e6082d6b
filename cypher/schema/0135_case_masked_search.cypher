CREATE TEXT INDEX case_masked_search IF NOT EXISTS FOR (n:Case) ON (n.m_search_text)
