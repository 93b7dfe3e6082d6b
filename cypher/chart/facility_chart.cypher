// Who ran a facility on a date: the units operating it (with their commanders) and
// the people posted there (command posts first); claims in force and not retracted.
MATCH (f:Facility {id: $id})
CALL (f) {
  MATCH (f)<-[op:OPERATED]-(u:Unit)
  RETURN 'OPERATOR' AS role, u.id AS node, null AS via, op AS claim
  UNION ALL
  MATCH (f)<-[op:OPERATED]-(u:Unit)<-[c:COMMANDED]-(p:Person)
  WHERE op.retracted_at IS NULL
    AND (op.valid_from IS NULL OR op.valid_from <= $at)
    AND (op.valid_to IS NULL OR op.valid_to >= $at)
  RETURN 'UNIT_COMMANDER' AS role, p.id AS node, u.id AS via, c AS claim
  UNION ALL
  MATCH (f)<-[r:POSTED_AT]-(p:Person)
  RETURN CASE WHEN r.command THEN 'COMMAND_POST' ELSE 'POST' END AS role, p.id AS node,
         null AS via, r AS claim
}
WITH role, node, via, claim
WHERE claim.retracted_at IS NULL
  AND (claim.valid_from IS NULL OR claim.valid_from <= $at)
  AND (claim.valid_to IS NULL OR claim.valid_to >= $at)
RETURN role, node, via,
       claim {.*, type: type(claim), from: startNode(claim).id, to: endNode(claim).id} AS claim
