// Nodes by id, in any order; the caller matches them to its keys. Readers without
// clearance get the rendition alone (masked), never the stored originals; evidence a
// public-only reader may not see is not there for them. The floor, read after the
// nodes, says which renditions are too old to serve; each node carries it. One row,
// always (services/nodes.py: found_nodes): the driver and the engine spend about 16 µs
// a record, so a row a node cost a trace's last read 0.8 ms of its 2.9.
UNWIND $ids AS id
MATCH (n:Entity {id: id})
WHERE NOT $public_only OR NOT n:Evidence OR n.classification = 'public'
WITH collect(n) AS found
OPTIONAL MATCH (g:MaskState {id: 'mask'})
WITH found, coalesce(g.floor, 0) AS floor
RETURN [n IN found |
        {id: n.id, label: [l IN labels(n) WHERE l <> 'Entity'][0],
         props: CASE WHEN $cleared THEN properties(n) ELSE null END,
         masked: n.m_props, gen: n.m_gen, floor: floor,
         created_at: n.created_at, updated_at: n.updated_at}] AS nodes, floor
