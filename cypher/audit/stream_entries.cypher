// The whole audit log in order, streamed, for verification.
MATCH (e:AuditEntry)
RETURN e {.*} AS entry
ORDER BY e.seq
