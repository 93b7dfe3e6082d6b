// Incidents within reach of a person by any path the trace follows, ignoring dates:
// the trace statements then judge each one by its own period.
MATCH (p:Person {id: $id})
CALL (p) {
  MATCH (p)-[:PERPETRATED|ORDERED|AIDED]->(i:Incident)
  RETURN i
  UNION
  MATCH (p)-[:POSTED_AT|AIDED]->(:Facility)<-[:OCCURRED_AT]-(i:Incident)
  RETURN i
  UNION
  MATCH (p)-[:AIDED]->(:Unit)-[:OPERATED]->(:Facility)<-[:OCCURRED_AT]-(i:Incident)
  RETURN i
  UNION
  MATCH (p)-[:COMMANDED]->(:Unit)<-[:SUBORDINATE_TO*0..10]-(u:Unit)
  MATCH (u)-[:OPERATED]->(:Facility)<-[:OCCURRED_AT]-(i:Incident)
  RETURN i
  UNION
  MATCH (p)-[:COMMANDED]->(:Unit)<-[:SUBORDINATE_TO*0..10]-(u:Unit)
  MATCH (u)<-[:MEMBER_OF]-(:Person)-[:PERPETRATED|ORDERED]->(i:Incident)
  RETURN i
}
RETURN DISTINCT i.id AS id
