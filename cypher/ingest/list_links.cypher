// Each relationship of these nodes: a claim (its id) or a SUPPORTS edge (the claim it
// indexes), and the node at the other end.
UNWIND $ids AS id
MATCH (n:Entity {id: id})-[r]-(m)
RETURN id, type(r) AS type, r.id AS claim, r.claim AS supports, m.id AS other
