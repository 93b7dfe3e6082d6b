// Claims with uncertain mentions of protected persons waiting for a reviewer; the claims
// of each start node are found in one pass over its relationships (see get_claims).
MATCH (k:ClaimKey)
WHERE k.review_open = true
WITH k
ORDER BY k.id
LIMIT $limit
WITH k.from AS start, collect(k.id) AS wanted
MATCH (a:Entity {id: start})-[r]->()
WHERE r.id IN wanted
RETURN r.id AS id, type(r) AS kind, r.review AS review
ORDER BY id
