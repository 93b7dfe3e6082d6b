CREATE TEXT INDEX evidence_masked_search IF NOT EXISTS FOR (n:Evidence) ON (n.m_search_text)
