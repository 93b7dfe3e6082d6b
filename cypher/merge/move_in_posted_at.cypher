// Move these POSTED_AT claims into one node to end at another (a merge of persons, or its
// undo), made again with every property and the old one removed first, as
// move_out_posted_at does.
MATCH (d:Entity {id: $node})<-[r:POSTED_AT]-(a)
WHERE r.id IN $ids
MATCH (x:Entity {id: $into})
WITH x, a, r, properties(r) AS props
DELETE r
CREATE (a)-[n:POSTED_AT]->(x)
SET n = props
RETURN count(n) AS moved
