// A merge with its before-images: read by its undo, and by nothing else.
MATCH (m:PersonMerge {id: $id})
RETURN m.id AS id, m.keep AS keep, m.drop AS drop, m.by AS by, m.at AS at,
       m.status AS status, m.undone_by AS undone_by, m.payload AS payload,
       m.keep_stamp AS keep_stamp
