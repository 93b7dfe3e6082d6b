// Move these SUBORDINATE_TO claims into one node to end at another (a merge of persons, or its
// undo), made again with every property and the old one removed first, as
// move_out_subordinate_to does.
MATCH (d:Entity {id: $node})<-[r:SUBORDINATE_TO]-(a)
WHERE r.id IN $ids
MATCH (x:Entity {id: $into})
WITH x, a, r, properties(r) AS props
DELETE r
CREATE (a)-[n:SUBORDINATE_TO]->(x)
SET n = props
RETURN count(n) AS moved
