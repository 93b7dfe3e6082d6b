// A merge, in its own transaction: who merged what and why, the before-images its undo
// puts back (they may hold protected names: only get_merge reads them, for the undo),
// and the updated_at it left on the kept person. While it stands, the dropped id
// resolves to the kept one (resolve_ids).
CREATE (m:PersonMerge {id: $id})
SET m.keep = $keep, m.drop = $drop, m.by = $by, m.role = $role, m.at = $at,
    m.reason = $reason, m.status = 'merged', m.moved = $moved, m.payload = $payload,
    m.keep_stamp = $keep_stamp
RETURN m.id AS id
