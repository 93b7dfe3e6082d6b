// Move these INCLUDES claims out of one node to start at another (a merge of persons, or
// its undo). A relationship's ends cannot change, so each is made again at the new
// node with every property (id, dates, evidence, retraction, rendition) and the old
// one removed first (its id is unique). One expansion of the node, not one a claim.
MATCH (d:Entity {id: $node})-[r:INCLUDES]->(b)
WHERE r.id IN $ids
MATCH (x:Entity {id: $into})
WITH x, b, r, properties(r) AS props
DELETE r
CREATE (x)-[n:INCLUDES]->(b)
SET n = props
RETURN count(n) AS moved
