// Mark a claim retracted; it is kept, with who, why and when.
MATCH (k:ClaimKey {id: $id})
MATCH (a:Entity {id: k.from})-[r]->(b)
WHERE r.id = $id AND type(r) = k.type AND r.retracted_at IS NULL
SET r.retracted_at = $now, r.retracted_by = $by, r.retraction_reason = $reason,
    r.updated_at = $now
RETURN r.id AS id
