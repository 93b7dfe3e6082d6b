// A merge undone: kept, with who undid it and when; its dropped id no longer resolves.
MATCH (m:PersonMerge {id: $id})
WHERE m.status = 'merged'
SET m.status = 'undone', m.undone_by = $by, m.undone_at = $at
RETURN m.id AS id
