// Move the index edges from evidence to a claim's start node along with the claims
// (every one into the node when $claims is null): "every claim this item supports"
// stays one hop away. Returns the claims whose edges moved.
MATCH (a:Entity {id: $from})<-[s:SUPPORTS]-(e:Evidence)
WHERE $claims IS NULL OR s.claim IN $claims
MATCH (b:Entity {id: $to})
WITH b, e, s, properties(s) AS props
DELETE s
CREATE (e)-[t:SUPPORTS]->(b)
SET t = props
RETURN count(t) AS moved, collect(DISTINCT t.claim) AS claims
