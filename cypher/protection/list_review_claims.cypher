// Claims with uncertain mentions of protected persons waiting for a reviewer.
MATCH (k:ClaimKey)
WHERE k.review_open = true
WITH k
ORDER BY k.id
LIMIT $limit
MATCH (a:Entity {id: k.from})-[r]->()
WHERE r.id = k.id AND type(r) = k.type
RETURN r.id AS id, type(r) AS kind, r.review AS review
