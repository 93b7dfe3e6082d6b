// Update the nodes of these rows that exist (labels were checked before); returns the
// ids found, so that the caller creates only the others.
UNWIND $rows AS row
MATCH (n:Entity {id: row.id})
SET n += row.props, n.updated_at = coalesce(row.updated_at, $now)
RETURN n.id AS id
