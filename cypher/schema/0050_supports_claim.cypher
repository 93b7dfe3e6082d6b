CREATE INDEX supports_claim IF NOT EXISTS FOR ()-[s:SUPPORTS]-() ON (s.claim)
