CREATE INDEX incident_sort_name IF NOT EXISTS FOR (n:Incident) ON (n.sort_name)
