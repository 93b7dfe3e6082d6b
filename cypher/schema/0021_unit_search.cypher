CREATE TEXT INDEX unit_search IF NOT EXISTS FOR (n:Unit) ON (n.search_text)
