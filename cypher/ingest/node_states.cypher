// What an undo needs to know of nodes as they stand: when each was last written, and
// whether it is a protected person. Less than get_nodes, for thousands at a time.
UNWIND $ids AS id
MATCH (n:Entity {id: id})
RETURN id, n.updated_at AS stamp, coalesce(n.protected, false) AS protected
