// A page of the audit log, oldest first, after a sequence number.
MATCH (e:AuditEntry)
WHERE e.seq > $after
RETURN e {.*} AS entry
ORDER BY e.seq
LIMIT $limit
