// Standing claims that place a person somewhere after their recorded death. The model
// has no date of death; two records give one:
// - a standing VICTIM claim of a killing: dead by the incident's end (or start);
// - status died_in_custody: custody ended only with death, so the end of the person's
//   last detention is the last day they can be anywhere else (known only when every
//   standing detention has an end).
// The earliest such date counts, with every claim it rests on. A claim begins at its
// valid_from, or for an incident (acts, VICTIM) at the incident's start; one that
// begins after the death is listed. Starts from killings (incident_kind index) and
// from persons who died in custody (person_status index), then their own claims.
CALL () {
  MATCH (i:Incident {kind: 'killing'})-[v:VICTIM]->(p:Person)
  WHERE v.retracted_at IS NULL AND i.start_date IS NOT NULL
  RETURN p, coalesce(i.end_date, i.start_date) AS died,
         {claim: v.id, type: 'VICTIM', node: i.id} AS basis
  UNION ALL
  MATCH (p:Person {status: 'died_in_custody'})-[d:DETAINED_AT]->(:Facility)
  WHERE d.retracted_at IS NULL
  WITH p, collect(d) AS held
  WHERE all(d IN held WHERE d.valid_to IS NOT NULL)
  WITH p, held, reduce(m = null, d IN held | CASE WHEN m IS NULL OR d.valid_to > m
                                                 THEN d.valid_to ELSE m END) AS died
  UNWIND held AS d
  WITH p, died, d
  WHERE d.valid_to = died
  RETURN p, died, {claim: d.id, type: 'DETAINED_AT', node: endNode(d).id} AS basis
}
WITH p, min(died) AS died, collect({died: died, basis: basis}) AS bases
WITH p, died, [b IN bases WHERE b.died = died | b.basis] AS bases
CALL (p) {
  MATCH (p)-[r:MEMBER_OF|COMMANDED|POSTED_AT|DETAINED_AT|PERPETRATED|ORDERED|AIDED|NOTIFIED|EXERCISED_CONTROL|TOOK_MEASURES]->(x)
  RETURN r, x
  UNION ALL
  MATCH (p)<-[r:VICTIM]-(x:Incident)
  RETURN r, x
}
WITH p, died, bases, r, x,
     coalesce(r.valid_from, CASE WHEN x:Incident THEN x.start_date END) AS begins
WHERE r.retracted_at IS NULL AND begins > died
RETURN p.id AS person, died, bases, r.id AS claim, type(r) AS type,
       startNode(r).id AS from, endNode(r).id AS to, begins
ORDER BY person, claim
LIMIT $limit
