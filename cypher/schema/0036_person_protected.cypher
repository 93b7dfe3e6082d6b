CREATE INDEX person_protected IF NOT EXISTS FOR (n:Person) ON (n.protected)
