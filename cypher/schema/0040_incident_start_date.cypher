CREATE INDEX incident_start_date IF NOT EXISTS FOR (n:Incident) ON (n.start_date)
