// Incidents that began before $before within reach of a person's command (a command
// chain down to a unit that operated the facility or had the perpetrator or orderer as
// a member, or a command post at the facility), his command or post in force during
// each (the trace's rule, which the trace statements then apply to the rest of the
// chain): only incidents of his tenure are traced again.
MATCH (p:Person {id: $id})
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
WITH i, held
WHERE i.start_date < $before AND i.id <> $incident AND held.retracted_at IS NULL
  AND (held.valid_from IS NULL OR held.valid_from <= coalesce(i.end_date, i.start_date))
  AND (held.valid_to IS NULL OR held.valid_to >= i.start_date)
RETURN DISTINCT i.id AS id
