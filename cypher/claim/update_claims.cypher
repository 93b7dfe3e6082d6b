// Write claims that are stored ($rows: claim id -> row with the new properties), of any
// type: each found through its key, the claims of one start node in one pass over its
// relationships (see get_claims). Only claims carry an `id` on a relationship.
UNWIND $ids AS id
MATCH (k:ClaimKey {id: id})
WITH k.from AS start, collect(k.id) AS wanted
MATCH (a:Entity {id: start})-[r]->()
WHERE r.id IN wanted
WITH r, $rows[r.id] AS row
SET r += row.props, r.updated_at = coalesce(row.updated_at, $now)
RETURN count(r) AS written
