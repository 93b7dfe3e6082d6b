// Remove claims an import created, with their keys (their SUPPORTS edges went first);
// with a stamp, only a claim that still carries it: one written since stays.
UNWIND $rows AS row
MATCH (k:ClaimKey {id: row.id})
MATCH (a:Entity {id: k.from})-[r]->()
WHERE r.id = row.id AND type(r) = k.type AND (row.stamp IS NULL OR r.updated_at = row.stamp)
DELETE r, k
RETURN count(*) AS deleted
