// Nodes by id, in any order; the caller matches them to its keys. Readers without
// clearance get the rendition alone (masked), never the stored originals; evidence a
// public-only reader may not see is not there for them. The floor, read after the
// nodes, says which renditions are too old to serve.
UNWIND $ids AS id
MATCH (n:Entity {id: id})
WHERE NOT $public_only OR NOT n:Evidence OR n.classification = 'public'
WITH collect(n) AS found
OPTIONAL MATCH (g:MaskState {id: 'mask'})
UNWIND found AS n
RETURN n.id AS id, [l IN labels(n) WHERE l <> 'Entity'][0] AS label,
       CASE WHEN $cleared THEN properties(n) ELSE null END AS props,
       n.m_props AS masked, n.m_gen AS gen, coalesce(g.floor, 0) AS floor,
       n.created_at AS created_at, n.updated_at AS updated_at
