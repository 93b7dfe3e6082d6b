// Take the write locks of the persons of a merge (or of its undo) before anything of
// them is read, so that a concurrent write to either waits or fails instead of being
// lost; returns each node's label and the updated_at it had before this lock, for the
// before-image. A real change: ArcadeDB locks nothing on a value written unchanged.
UNWIND $ids AS id
MATCH (n:Entity {id: id})
WITH n, n.updated_at AS was
SET n.updated_at = $now
RETURN n.id AS id, [l IN labels(n) WHERE l <> 'Entity'][0] AS label, was
