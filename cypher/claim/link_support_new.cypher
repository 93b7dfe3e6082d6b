// link_support for claims written new in this transaction: no SUPPORTS edge can carry
// their ids yet, so each is created, not merged (a merge looks through every edge of
// the evidence item, and an item supports thousands of claims).
UNWIND $rows AS row
MATCH (e:Evidence {id: row.evidence})
MATCH (a:Entity {id: row.from})
CREATE (e)-[s:SUPPORTS {claim: row.claim}]->(a)
RETURN count(s) AS linked
