// Nodes written before renditions existed: give them a rendition version older than
// any, so that the re-masking job (which seeks by version) finds them.
MATCH (n:Entity)
WHERE n.m_gen IS NULL
WITH n
LIMIT $limit
SET n.m_gen = -1
RETURN count(n) AS stamped
