// The standing merges of these ids: a dropped id resolves to the person it was merged
// into (one step; the caller follows a chain).
UNWIND $ids AS id
MATCH (m:PersonMerge {drop: id})
WHERE m.status = 'merged'
RETURN id, m.keep AS keep, m.id AS merge
