// Add EXERCISED_CONTROL claims; endpoints and ids were checked before this runs.
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
MERGE (a)-[r:EXERCISED_CONTROL {id: row.id}]->(b)
ON CREATE SET r.created_at = coalesce(row.created_at, $now)
SET r += row.props, r.updated_at = coalesce(row.updated_at, $now)
RETURN count(r) AS written
