CREATE INDEX person_status IF NOT EXISTS FOR (n:Person) ON (n.status)
