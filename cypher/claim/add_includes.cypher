// Add INCLUDES claims; endpoints and ids were checked before this runs. The pattern
// starts at the included entity: a case holds thousands of INCLUDES, an entity few,
// and the engine expands a MERGE from its first node.
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
MERGE (b)<-[r:INCLUDES {id: row.id}]-(a)
ON CREATE SET r.created_at = coalesce(row.created_at, $now)
SET r += row.props, r.updated_at = coalesce(row.updated_at, $now)
RETURN count(r) AS written
