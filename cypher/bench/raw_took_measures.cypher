// Benchmark baseline (accountability bench): TOOK_MEASURES claims as plain relationships,
// created with no key node, no evidence edge and no MERGE: what the import is measured
// against (issue 11).
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
CREATE (a)-[r:TOOK_MEASURES]->(b)
SET r = row.props
RETURN count(r) AS written
