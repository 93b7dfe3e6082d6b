// Create DETAINED_AT claims new to the graph: endpoints and ids were checked, and the caller
// found no claim of these ids in this transaction (a concurrent create of one stops at
// the unique claim key, and its retry finds it). Stored claims are updated through their
// keys (update_claims): a MERGE would look through every relationship of the start
// node, and a unit, an incident or an evidence item may hold thousands.
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
CREATE (a)-[r:DETAINED_AT {id: row.id}]->(b)
SET r += row.props, r.created_at = coalesce(row.created_at, $now),
    r.updated_at = coalesce(row.updated_at, $now)
RETURN count(r) AS written
