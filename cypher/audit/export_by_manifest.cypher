// The audit entry of the export that produced a bundle, found by its manifest's hash
// (export entries end their summary with "manifest sha256 <hex>"). Exports are a small
// share of the log and this runs once per check, so a scan of the entries is enough.
MATCH (e:AuditEntry)
WHERE e.action = 'export' AND e.summary CONTAINS $needle
RETURN e {.*} AS entry
ORDER BY e.seq
LIMIT 1
