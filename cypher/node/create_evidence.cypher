// Create Evidence nodes that update_nodes did not find. MERGE on two labels is not
// index-backed on every engine, so new and existing nodes take separate statements.
UNWIND $rows AS row
CREATE (n:Entity:Evidence {id: row.id})
SET n += row.props, n.created_at = coalesce(row.created_at, $now),
    n.updated_at = coalesce(row.updated_at, $now)
RETURN count(n) AS written
