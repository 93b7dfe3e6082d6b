// A page of the import journal, newest first, after a (started_at, id) cursor.
MATCH (r:ImportRun)
WHERE $after_at IS NULL
   OR r.started_at < $after_at
   OR (r.started_at = $after_at AND r.id < $after_id)
RETURN r {.*} AS run
ORDER BY r.started_at DESC, r.id DESC
LIMIT $limit
