// Benchmark only: write precomputed audit entries in bulk into a scratch database,
// to time verification of a long chain. The service never calls it.
UNWIND $rows AS row
CREATE (e:AuditEntry)
SET e = row
RETURN count(e) AS written
