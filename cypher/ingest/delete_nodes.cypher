// Remove nodes an import created. Their claims went first; what is left are index
// edges (SUPPORTS) of those claims.
UNWIND $ids AS id
MATCH (n:Entity {id: id})
DETACH DELETE n
RETURN count(*) AS deleted
