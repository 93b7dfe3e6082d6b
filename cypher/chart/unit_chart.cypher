// A unit's command chart on a date: its commanders, the units above and below it
// (with their commanders), and the facilities it operated; only claims in force on
// that date and not retracted. `via` names the unit a commander belongs to.
MATCH (u:Unit {id: $id})
CALL (u) {
  MATCH (u)<-[c:COMMANDED]-(p:Person)
  RETURN 'COMMANDER' AS role, p.id AS node, null AS via, c AS claim
  UNION ALL
  MATCH (u)-[s:SUBORDINATE_TO]->(parent:Unit)
  RETURN 'PARENT' AS role, parent.id AS node, null AS via, s AS claim
  UNION ALL
  MATCH (u)<-[s:SUBORDINATE_TO]-(child:Unit)
  RETURN 'CHILD' AS role, child.id AS node, null AS via, s AS claim
  UNION ALL
  MATCH (u)-[op:OPERATED]->(f:Facility)
  RETURN 'FACILITY' AS role, f.id AS node, null AS via, op AS claim
  UNION ALL
  MATCH (u)-[s:SUBORDINATE_TO]-(other:Unit)<-[c:COMMANDED]-(p:Person)
  WHERE s.retracted_at IS NULL
    AND (s.valid_from IS NULL OR s.valid_from <= $at)
    AND (s.valid_to IS NULL OR s.valid_to >= $at)
  RETURN 'UNIT_COMMANDER' AS role, p.id AS node, other.id AS via, c AS claim
}
WITH role, node, via, claim
WHERE claim.retracted_at IS NULL
  AND (claim.valid_from IS NULL OR claim.valid_from <= $at)
  AND (claim.valid_to IS NULL OR claim.valid_to >= $at)
RETURN role, node, via,
       claim {.*, type: type(claim), from: startNode(claim).id, to: endNode(claim).id} AS claim
