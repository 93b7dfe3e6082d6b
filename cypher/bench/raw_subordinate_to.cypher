// Benchmark baseline (accountability bench): SUBORDINATE_TO claims as plain relationships,
// created with no key node, no evidence edge and no MERGE: what the import is measured
// against (issue 11).
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
CREATE (a)-[r:SUBORDINATE_TO]->(b)
SET r = row.props
RETURN count(r) AS written
