// Add evidence ids to a claim, in one statement so concurrent attaches are not lost.
MATCH (k:ClaimKey {id: $id})
MATCH (a:Entity {id: k.from})-[r]->(b)
WHERE r.id = $id AND type(r) = k.type
SET r.evidence = coalesce(r.evidence, []) + [e IN $evidence WHERE NOT e IN coalesce(r.evidence, [])],
    r.updated_at = $now
RETURN r.id AS id, a.id AS from
