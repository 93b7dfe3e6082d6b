// How many nodes of a label pass the same filters as list_nodes.
OPTIONAL MATCH (g:MaskState {id: 'mask'})
WITH coalesce(g.floor, 0) AS floor
MATCH (n:$($label))
WHERE ($cleared OR n.m_gen >= floor)
  AND ($needles IS NULL
       OR any(k IN $needles WHERE
              CASE WHEN $cleared THEN n.search_text ELSE n.m_search_text END CONTAINS k))
  AND ($kind IS NULL OR CASE WHEN $cleared THEN n.kind ELSE n.m_kind END = $kind)
  AND (NOT $public_only OR $label <> 'Evidence' OR n.classification = 'public')
  AND ($from IS NULL OR coalesce(n.end_date, n.start_date) >= $from)
  AND ($to IS NULL OR n.start_date <= $to)
RETURN count(n) AS total
