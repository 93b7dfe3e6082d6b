// Index edges from an evidence item to the start node of each claim it supports,
// so that "every claim this item supports" is one hop and a filter away.
UNWIND $rows AS row
MATCH (e:Evidence {id: row.evidence})
MATCH (a:Entity {id: row.from})
MERGE (e)-[s:SUPPORTS {claim: row.claim}]->(a)
RETURN count(s) AS linked
