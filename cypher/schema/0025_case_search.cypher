CREATE TEXT INDEX case_search IF NOT EXISTS FOR (n:Case) ON (n.search_text)
