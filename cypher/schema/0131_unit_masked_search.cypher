CREATE TEXT INDEX unit_masked_search IF NOT EXISTS FOR (n:Unit) ON (n.m_search_text)
