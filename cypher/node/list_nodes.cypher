// One page of nodes of a label, filtered, in keyset order (sort key, then id).
// $label comes from the service's allow-list; dynamic labels are used only to read.
MATCH (n:$($label))
WHERE ($needles IS NULL
       OR any(k IN $needles WHERE n.search_text CONTAINS k
              OR ($cleared AND n.search_text_protected CONTAINS k)))
  AND ($kind IS NULL OR n.kind = $kind)
  AND (NOT $public_only OR $label <> 'Evidence' OR n.classification = 'public')
  AND ($from IS NULL OR coalesce(n.end_date, n.start_date) >= $from)
  AND ($to IS NULL OR n.start_date <= $to)
WITH n,
     CASE $sort
       WHEN 'name' THEN coalesce(n.sort_name, '')
       WHEN 'created_at' THEN n.created_at
       WHEN 'updated_at' THEN n.updated_at
       ELSE n.id
     END AS key
WHERE $after_key IS NULL OR key > $after_key OR (key = $after_key AND n.id > $after_id)
RETURN n.id AS id, $label AS label, properties(n) AS props, key
ORDER BY key, id
LIMIT $limit
