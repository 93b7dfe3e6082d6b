// Remove claims an import created, with their keys (their SUPPORTS edges went first).
UNWIND $ids AS id
MATCH (k:ClaimKey {id: id})
MATCH (a:Entity {id: k.from})-[r]->()
WHERE r.id = id AND type(r) = k.type
DELETE r, k
RETURN count(*) AS deleted
