// Claims by id, whatever their type: an index seek on the key, then one hop. A claim
// with an end a public-only reader may not see (evidence that is not public) is not
// there for them. The floor, read after the claims, says which renditions are too old.
UNWIND $ids AS id
MATCH (k:ClaimKey {id: id})
MATCH (a:Entity {id: k.from})-[r]->(b)
WHERE r.id = id AND type(r) = k.type
  AND (NOT $public_only
       OR ((NOT a:Evidence OR a.classification = 'public')
           AND (NOT b:Evidence OR b.classification = 'public')))
WITH collect({id: r.id, type: type(r), from: a.id, to: b.id, props: properties(r)}) AS found
OPTIONAL MATCH (g:MaskState {id: 'mask'})
UNWIND found AS c
RETURN c.id AS id, c.type AS type, c.from AS from, c.to AS to, c.props AS props,
       coalesce(g.floor, 0) AS floor
