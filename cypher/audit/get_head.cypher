// The last entry's number and hash (none before the first entry).
OPTIONAL MATCH (h:AuditHead {id: 'head'})
RETURN h.seq AS seq, h.hash AS hash
