// A range of the audit log by sequence number, for verification. Entry numbers are
// consecutive, so a bounded range is an index range of a few thousand entries: an
// ORDER BY over the whole log, or a LIMIT after an open range, sorts every entry
// in the engine's heap.
MATCH (e:AuditEntry)
WHERE e.seq > $after AND e.seq <= $upto
RETURN e {.*} AS entry
ORDER BY e.seq
