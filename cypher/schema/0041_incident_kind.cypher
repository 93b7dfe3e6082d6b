CREATE INDEX incident_kind IF NOT EXISTS FOR (n:Incident) ON (n.kind)
