CREATE TEXT INDEX evidence_search IF NOT EXISTS FOR (n:Evidence) ON (n.search_text)
