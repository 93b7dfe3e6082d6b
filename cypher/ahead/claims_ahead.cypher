// Look-ahead reads (docs/design.md, "Look-ahead reads"): for each of $asks (a node id
// and a spec: the arguments of one `claims` field), a page of claims, with the nodes at
// their other ends (when the spec asks for them) and the evidence items they cite (when
// it asks for those), in one statement instead of one a level and kind; and the nodes
// of $ids (lookups by id). Each part keeps the filters of the statement it stands for:
// claim/list_node_claims for the pages (a claim with an end a public-only reader may not
// see is not there for them), node/get_nodes for the nodes (readers without clearance
// get the rendition alone; evidence a public-only reader may not see is not there for
// them). $limit is the largest page asked for plus one; the service cuts each page to
// its own size. The floor is read after everything else. When the fields on the nodes
// at the claims' other ends select claims too, ahead/claims_ahead_nested reads those
// in the same statement (this one is the cheaper when they do not).
//
// A claim's dates come as ISO strings (its other properties as stored): the driver makes
// a date object of its own for each date value, at about 3 µs (a facility's page holds
// some 200), where the service parses a string in a tenth of a microsecond. The map is
// projected in a step of its own: this engine loses the keys of a map literal that holds
// a map projection (`{id: r.id, props: r{.*}}` comes back as the projection alone).
UNWIND $asks AS ask
MATCH (n:Entity {id: ask.id})
WITH n, ask.id AS nid, ask.spec AS key, $specs[ask.spec] AS spec
CALL (n, spec) {
  MATCH (n)-[r]-(m)
  WHERE type(r) IN spec.types
    AND (spec.direction = 'BOTH' OR (spec.direction = 'OUT') = (startNode(r) = n))
    AND (spec.include_retracted OR r.retracted_at IS NULL)
    AND (spec.after IS NULL OR r.id > spec.after)
    AND (NOT $public_only OR NOT m:Evidence OR m.classification = 'public')
  RETURN r, m
  ORDER BY r.id
  LIMIT $limit
}
WITH nid, key, spec, r, m,
     r{.*, valid_from: toString(r.valid_from), valid_to: toString(r.valid_to)} AS props
WITH collect({node: nid, spec: key, id: r.id, type: type(r), from: startNode(r).id,
              to: endNode(r).id, props: props, cited: spec.evidence}) AS claims,
     collect(DISTINCT CASE WHEN spec.ends THEN m END) AS ends
CALL () {
  UNWIND $ids AS nid
  MATCH (n:Entity {id: nid})
  WHERE NOT $public_only OR NOT n:Evidence OR n.classification = 'public'
  RETURN collect(n) AS nodes
}
CALL (claims) {
  UNWIND [c IN claims WHERE c.cited] AS c
  UNWIND coalesce(c.props.evidence, []) AS eid
  WITH DISTINCT eid
  MATCH (e:Entity {id: eid})
  WHERE NOT $public_only OR NOT e:Evidence OR e.classification = 'public'
  RETURN collect(e) AS items
}
OPTIONAL MATCH (g:MaskState {id: 'mask'})
RETURN claims,
       [x IN nodes + ends + items |
        {id: x.id, label: [l IN labels(x) WHERE l <> 'Entity'][0],
         props: CASE WHEN $cleared THEN properties(x) ELSE null END,
         masked: x.m_props, gen: x.m_gen, created_at: x.created_at,
         updated_at: x.updated_at}] AS nodes,
       coalesce(g.floor, 0) AS floor
