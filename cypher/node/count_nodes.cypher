// How many nodes of a label pass the same filters as list_nodes.
MATCH (n:$($label))
WHERE ($needles IS NULL
       OR any(k IN $needles WHERE n.search_text CONTAINS k
              OR ($cleared AND n.search_text_protected CONTAINS k)))
  AND ($kind IS NULL OR n.kind = $kind)
  AND (NOT $public_only OR $label <> 'Evidence' OR n.classification = 'public')
  AND ($from IS NULL OR coalesce(n.end_date, n.start_date) >= $from)
  AND ($to IS NULL OR n.start_date <= $to)
RETURN count(n) AS total
