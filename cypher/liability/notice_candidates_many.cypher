// notice_candidates for several persons at once, each with his own $rows.before: the
// incidents begun before it within reach of his command or command post, that command
// or post in force during each. A case matrix reads every accused's past in one go.
UNWIND $rows AS row
MATCH (p:Person {id: row.id})
CALL (p) {
  MATCH (p)-[c:COMMANDED]->(:Unit)<-[:SUBORDINATE_TO*0..10]-(u:Unit)
  MATCH (u)-[:OPERATED]->(:Facility)<-[:OCCURRED_AT]-(i:Incident)
  RETURN i, c AS held
  UNION
  MATCH (p)-[c:COMMANDED]->(:Unit)<-[:SUBORDINATE_TO*0..10]-(u:Unit)
  MATCH (u)<-[:MEMBER_OF]-(:Person)-[:PERPETRATED|ORDERED]->(i:Incident)
  RETURN i, c AS held
  UNION
  MATCH (p)-[post:POSTED_AT]->(:Facility)<-[:OCCURRED_AT]-(i:Incident)
  WHERE post.command = true
  RETURN i, post AS held
}
WITH row, i, held
WHERE i.start_date < row.before AND held.retracted_at IS NULL
  AND (held.valid_from IS NULL OR held.valid_from <= coalesce(i.end_date, i.start_date))
  AND (held.valid_to IS NULL OR held.valid_to >= i.start_date)
RETURN DISTINCT row.id AS person, i.id AS incident
