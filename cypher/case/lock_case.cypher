// Take a case's write lock before its members are read to add or remove some, so that
// concurrent changes to one case follow each other: two adds of one entity write one
// INCLUDES claim. Neo4j holds the lock to the commit; ArcadeDB fails the later of two
// commits that changed the record (a transient error, retried). A real change: a value
// written unchanged locks nothing on ArcadeDB.
MATCH (c:Case {id: $case})
SET c.updated_at = $now
RETURN c.id AS id
