// Take a node's write lock before it is read for an update, so that two updates of one
// node follow each other instead of each merging onto the same stale copy. Neo4j holds
// the lock to the commit; ArcadeDB fails the later of two commits that changed the record
// (a transient error, retried). A real change: a value written unchanged locks nothing
// on ArcadeDB.
MATCH (n:Entity {id: $id})
SET n.updated_at = $now
RETURN n.id AS id
