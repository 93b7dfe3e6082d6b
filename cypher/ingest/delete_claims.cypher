// Remove claims an import created, with their keys (their SUPPORTS edges went first);
// with a stamp ($stamps: claim id -> stamp or null), only a claim that still carries it:
// one written since stays. The claims of each start node are found in one pass over its
// relationships (see claim/get_claims).
UNWIND $ids AS id
MATCH (k:ClaimKey {id: id})
WITH k.from AS start, collect(k.id) AS wanted
MATCH (a:Entity {id: start})-[r]->()
WHERE r.id IN wanted AND ($stamps[r.id] IS NULL OR r.updated_at = $stamps[r.id])
MATCH (k:ClaimKey {id: r.id})
DELETE r, k
RETURN count(*) AS deleted
