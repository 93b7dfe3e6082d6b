CREATE INDEX person_sort_name IF NOT EXISTS FOR (n:Person) ON (n.sort_name)
