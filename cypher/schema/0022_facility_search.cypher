CREATE TEXT INDEX facility_search IF NOT EXISTS FOR (n:Facility) ON (n.search_text)
