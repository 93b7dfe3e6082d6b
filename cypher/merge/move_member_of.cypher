// Move MEMBER_OF claims to new ends (a merge of persons, or its undo). A relationship's ends
// cannot change, so each is made again between the new ends with every property (id,
// dates, evidence, retraction, rendition), the old one removed first (its id is unique),
// and its key names the new start node.
UNWIND $rows AS row
MATCH (k:ClaimKey {id: row.id})
MATCH (a:Entity {id: k.from})-[r:MEMBER_OF]->(b)
WHERE r.id = row.id AND a.id = row.was_from AND b.id = row.was_to
MATCH (x:Entity {id: row.from})
MATCH (y:Entity {id: row.to})
WITH row, k, r, x, y, properties(r) AS props
DELETE r
CREATE (x)-[n:MEMBER_OF]->(y)
SET n = props, k.from = row.from
RETURN count(n) AS moved
