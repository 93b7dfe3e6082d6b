// Benchmark only: write precomputed, chained audit entries in bulk into a scratch
// database, to time verification of a long chain, and move the head to the last of
// them ($seq, $hash) so that later writes chain on. The service never calls it.
UNWIND $rows AS row
CREATE (e:AuditEntry)
SET e = row
WITH count(e) AS written
MERGE (h:AuditHead {id: 'head'})
SET h.seq = $seq, h.hash = $hash
RETURN written
