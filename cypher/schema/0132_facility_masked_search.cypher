CREATE TEXT INDEX facility_masked_search IF NOT EXISTS FOR (n:Facility) ON (n.m_search_text)
