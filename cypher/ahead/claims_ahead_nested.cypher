// Look-ahead reads, up to three levels at once (docs/design.md, "Look-ahead reads"): as
// ahead/claims_ahead, and the next two levels. For each of $asks (a node id
// and a spec: the arguments of one `claims` field), a page of claims, with the nodes at
// their other ends (when the spec asks for them) and the evidence items they cite (when
// it asks for those), in one statement instead of one a level and kind; and the nodes
// of $ids (lookups by id). Each part keeps the filters of the statement it stands for:
// claim/list_node_claims for the pages (a claim with an end a public-only reader may not
// see is not there for them), node/get_nodes for the nodes (readers without clearance
// get the rendition alone; evidence a public-only reader may not see is not there for
// them). $limit is the largest page asked for plus one; the service cuts each page to
// its own size. The floor is read after everything else.
//
// One level further: a spec's `then` lists the `claims` fields selected on the nodes at
// its claims' other ends ({labels, spec}: the labels a field is selected on, null for
// any, and its index in $specs). The pages of those fields are read here too, for every
// end of the labels, with their own ends and evidence ($limit_next: the largest plus
// one); `computed` names each (node, spec) page read so. The service serves only those
// of the ends it serves, as a statement of their own would have been asked for. And so
// once more, for the `then` of those pages' specs (a unit, its parent, theirs).
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
     collect(DISTINCT CASE WHEN spec.ends THEN m END) AS ends,
     // The ends themselves are carried on, not their ids: finding each again by id took
     // about a tenth of the statement (a facility's ~35 detainees: 0.8 ms of 8).
     collect(DISTINCT CASE WHEN size(spec.then) > 0 THEN {node: m, id: m.id, then: spec.then} END)
       AS further
CALL (further) {
  UNWIND further AS f
  UNWIND f.then AS t
  WITH DISTINCT f.node AS m, f.id AS mid, t.spec AS key, t.labels AS only
  WHERE only IS NULL OR any(l IN labels(m) WHERE l IN only)
  WITH m, mid, key, $specs[key] AS spec
  CALL (m, mid, key, spec) {
    MATCH (m)-[r]-(o)
    WHERE type(r) IN spec.types
      AND (spec.direction = 'BOTH' OR (spec.direction = 'OUT') = (startNode(r) = m))
      AND (spec.include_retracted OR r.retracted_at IS NULL)
      AND (spec.after IS NULL OR r.id > spec.after)
      AND (NOT $public_only OR NOT o:Evidence OR o.classification = 'public')
    WITH r, o, mid, key, spec
    ORDER BY r.id
    LIMIT $limit_next
    WITH r, o, mid, key, spec,
         r{.*, valid_from: toString(r.valid_from), valid_to: toString(r.valid_to)} AS props
    RETURN collect({node: mid, spec: key, id: r.id, type: type(r), from: startNode(r).id,
                    to: endNode(r).id, props: props, cited: spec.evidence}) AS page,
           collect(DISTINCT CASE WHEN spec.ends THEN o END) AS page_ends,
           collect(DISTINCT CASE WHEN size(spec.then) > 0
                                 THEN {node: o, id: o.id, then: spec.then} END) AS page_further
  }
  RETURN collect({node: mid, spec: key}) AS computed, collect(page) AS pages,
         collect(page_ends) AS ends_of_pages, collect(page_further) AS further_of_pages
}
WITH claims + reduce(all = [], page IN pages | all + page) AS claims, ends,
     reduce(all = [], found IN ends_of_pages | all + found) AS next_ends, computed,
     reduce(all = [], found IN further_of_pages | all + found) AS further
// The third level: as the second, from the ends of its pages.
CALL (further) {
  UNWIND further AS f
  UNWIND f.then AS t
  WITH DISTINCT f.node AS m, f.id AS mid, t.spec AS key, t.labels AS only
  WHERE only IS NULL OR any(l IN labels(m) WHERE l IN only)
  WITH m, mid, key, $specs[key] AS spec
  CALL (m, mid, key, spec) {
    MATCH (m)-[r]-(o)
    WHERE type(r) IN spec.types
      AND (spec.direction = 'BOTH' OR (spec.direction = 'OUT') = (startNode(r) = m))
      AND (spec.include_retracted OR r.retracted_at IS NULL)
      AND (spec.after IS NULL OR r.id > spec.after)
      AND (NOT $public_only OR NOT o:Evidence OR o.classification = 'public')
    WITH r, o, mid, key, spec
    ORDER BY r.id
    LIMIT $limit_next
    WITH r, o, mid, key, spec,
         r{.*, valid_from: toString(r.valid_from), valid_to: toString(r.valid_to)} AS props
    RETURN collect({node: mid, spec: key, id: r.id, type: type(r), from: startNode(r).id,
                    to: endNode(r).id, props: props, cited: spec.evidence}) AS page,
           collect(DISTINCT CASE WHEN spec.ends THEN o END) AS page_ends
  }
  RETURN collect({node: mid, spec: key}) AS computed_last, collect(page) AS pages,
         collect(page_ends) AS ends_of_pages
}
WITH claims + reduce(all = [], page IN pages | all + page) AS claims, ends,
     next_ends + reduce(all = [], found IN ends_of_pages | all + found) AS next_ends,
     computed + computed_last AS computed
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
       [x IN nodes + ends + next_ends + items |
        {id: x.id, label: [l IN labels(x) WHERE l <> 'Entity'][0],
         props: CASE WHEN $cleared THEN properties(x) ELSE null END,
         masked: x.m_props, gen: x.m_gen, created_at: x.created_at,
         updated_at: x.updated_at}] AS nodes,
       computed,
       coalesce(g.floor, 0) AS floor
