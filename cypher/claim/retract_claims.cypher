// Mark claims retracted as a file states it ($rows: claim id -> {by, reason, at}), those
// not retracted already; returns the ids retracted now. The claims of one start node are
// found in one pass over its relationships (see get_claims).
UNWIND $ids AS id
MATCH (k:ClaimKey {id: id})
WITH k.from AS start, collect(k.id) AS wanted
MATCH (a:Entity {id: start})-[r]->()
WHERE r.id IN wanted AND r.retracted_at IS NULL
WITH r, $rows[r.id] AS row
SET r.retracted_at = row.at, r.retracted_by = row.by, r.retraction_reason = row.reason,
    r.updated_at = row.at
RETURN r.id AS id
