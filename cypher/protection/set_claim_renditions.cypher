// Store freshly computed renditions of claims ($renditions: claim id -> properties),
// and their version on each claim's key. The claims of one start node are found in one
// pass over its relationships, so a hub is read once for the batch (as in
// stale_claims); only claims carry an `id` on a relationship.
UNWIND $ids AS id
MATCH (k:ClaimKey {id: id})
WITH k.from AS start, collect(k.id) AS wanted
MATCH (a:Entity {id: start})-[r]->()
WHERE r.id IN wanted
WITH r, $renditions[r.id] AS props
SET r += props
WITH r, props
MATCH (k:ClaimKey {id: r.id})
SET k.m_gen = props.m_gen, k.review_open = props.review_open
RETURN count(r) AS written
