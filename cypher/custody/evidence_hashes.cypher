// Evidence items that record a file hash (all of them, or those asked for), unordered:
// the caller sorts them by id (an ORDER BY over every item sorts in the engine's heap).
MATCH (e:Evidence)
WHERE e.sha256 IS NOT NULL AND ($ids IS NULL OR e.id IN $ids)
RETURN e.id AS id, e.sha256 AS sha256
