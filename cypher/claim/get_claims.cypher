// Claims by id, whatever their type: an index seek on each key, then the claims of each
// start node in one pass over its relationships (a hub, such as a case of thousands of
// members, is read once for the claims asked of it, not once for each). Only claims
// carry an `id` on a relationship, and claim ids are unique. A claim with an end a
// public-only reader may not see (evidence that is not public) is not there for them.
// The floor, read after the claims, says which renditions are too old.
UNWIND $ids AS id
MATCH (k:ClaimKey {id: id})
WITH k.from AS start, collect(DISTINCT k.id) AS wanted
MATCH (a:Entity {id: start})-[r]->(b)
WHERE r.id IN wanted
  AND (NOT $public_only
       OR ((NOT a:Evidence OR a.classification = 'public')
           AND (NOT b:Evidence OR b.classification = 'public')))
WITH collect({id: r.id, type: type(r), from: a.id, to: b.id, props: properties(r)}) AS found
OPTIONAL MATCH (g:MaskState {id: 'mask'})
UNWIND found AS c
RETURN c.id AS id, c.type AS type, c.from AS from, c.to AS to, c.props AS props,
       coalesce(g.floor, 0) AS floor
