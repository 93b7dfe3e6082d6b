// Remove the dropped person of a merge once everything of it has moved: only a Person
// with no relationship left, so that nothing is ever lost with it.
MATCH (n:Entity {id: $id})
WHERE n:Person AND NOT EXISTS { (n)--() }
DELETE n
RETURN count(*) AS deleted
