// A range of the audit log by sequence number, for verification. Entry numbers are
// consecutive, so the range is a list of index seeks: an ORDER BY over the whole log,
// or over an open range, sorts every entry in the engine's heap, and ArcadeDB may serve
// even a bounded range by scanning every entry when the result is sorted.
UNWIND range($after + 1, $upto) AS seq
MATCH (e:AuditEntry {seq: seq})
RETURN e {.*} AS entry
ORDER BY e.seq
