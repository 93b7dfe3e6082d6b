// A random sample of node ids (each kept with probability $rate) and the greatest id:
// the whole-graph export cuts the id space into ranges of a few thousand nodes at the
// sampled ids, so that no statement reads or sorts more than a range. One pass over the
// nodes that returns one row.
MATCH (n:Entity)
RETURN collect(CASE WHEN rand() < $rate THEN n.id END) AS sample, max(n.id) AS last
