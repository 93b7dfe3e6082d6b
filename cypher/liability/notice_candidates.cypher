// Incidents that began before $before within reach of a person's command (a command
// chain down to a unit that operated the facility or had the perpetrator or orderer as
// a member, or a command post at the facility), dates otherwise ignored: the trace
// statements then judge each one by its own period, as they judge any incident.
MATCH (p:Person {id: $id})
CALL (p) {
  MATCH (p)-[:COMMANDED]->(:Unit)<-[:SUBORDINATE_TO*0..10]-(u:Unit)
  MATCH (u)-[:OPERATED]->(:Facility)<-[:OCCURRED_AT]-(i:Incident)
  RETURN i
  UNION
  MATCH (p)-[:COMMANDED]->(:Unit)<-[:SUBORDINATE_TO*0..10]-(u:Unit)
  MATCH (u)<-[:MEMBER_OF]-(:Person)-[:PERPETRATED|ORDERED]->(i:Incident)
  RETURN i
  UNION
  MATCH (p)-[post:POSTED_AT]->(:Facility)<-[:OCCURRED_AT]-(i:Incident)
  WHERE post.command = true
  RETURN i
}
WITH DISTINCT i
WHERE i.start_date < $before AND i.id <> $incident
RETURN i.id AS id
