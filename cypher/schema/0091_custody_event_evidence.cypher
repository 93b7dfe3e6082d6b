CREATE INDEX custody_event_evidence IF NOT EXISTS FOR (c:CustodyEvent) ON (c.evidence)
