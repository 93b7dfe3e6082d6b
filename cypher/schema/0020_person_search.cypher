CREATE TEXT INDEX person_search IF NOT EXISTS FOR (n:Person) ON (n.search_text)
