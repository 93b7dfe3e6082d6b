CREATE TEXT INDEX incident_search IF NOT EXISTS FOR (n:Incident) ON (n.search_text)
