// Upsert Incident nodes by id; rows carry complete, validated properties.
UNWIND $rows AS row
MERGE (n:Entity:Incident {id: row.id})
ON CREATE SET n.created_at = coalesce(row.created_at, $now)
SET n += row.props, n.updated_at = coalesce(row.updated_at, $now)
RETURN count(n) AS written
