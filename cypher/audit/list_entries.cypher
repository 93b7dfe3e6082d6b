// A page of the audit log, oldest first, after a sequence number. Entry numbers are
// consecutive, so the page is a list of index seeks over ($after, $upto]: a LIMIT after
// an open range sorts every later entry in the engine's heap (seconds at 100,000).
UNWIND range($after + 1, $upto) AS seq
MATCH (e:AuditEntry {seq: seq})
RETURN e {.*} AS entry
ORDER BY e.seq
LIMIT $limit
