CREATE TEXT INDEX incident_masked_search IF NOT EXISTS FOR (n:Incident) ON (n.m_search_text)
