// The units an incident involves, each with how it is linked to the incident (its
// tail): it operated the facility where the incident occurred, or a perpetrator or
// orderer was its member. Standing claims must be in force during the incident; with
// $all they need not be, and retracted ones are kept (for explain). With each unit,
// who commanded it during the incident (at any time with $all; $person keeps one),
// and the incident's period, which the climb above it filters by.
// Inside a map literal a claim is given as properties(c), never as a map projection
// (`{claim: c {.*}}`): the embedded engine answers such a map with the projection
// alone. The caller adds the claim's type and ends.
UNWIND $ids AS id
MATCH (i:Incident {id: id})
WITH i, i.start_date AS start, coalesce(i.end_date, i.start_date) AS end
CALL (i, start, end) {
  MATCH (i)-[o:OCCURRED_AT]->(:Facility)<-[op:OPERATED]-(u:Unit)
  WHERE (o.retracted_at IS NULL OR $all) AND (op.retracted_at IS NULL OR $all)
    AND ($all OR start IS NULL OR ((op.valid_from IS NULL OR op.valid_from <= end)
                            AND (op.valid_to IS NULL OR op.valid_to >= start)))
  RETURN u, [op, o] AS tail, null AS member
  UNION ALL
  MATCH (i)<-[act:PERPETRATED|ORDERED]-(p:Person)-[m:MEMBER_OF]->(u:Unit)
  WHERE (act.retracted_at IS NULL OR $all) AND (m.retracted_at IS NULL OR $all)
    AND ($all OR start IS NULL OR ((m.valid_from IS NULL OR m.valid_from <= end)
                            AND (m.valid_to IS NULL OR m.valid_to >= start)))
  RETURN u, [m, act] AS tail, p.id AS member
}
RETURN i.id AS incident, u.id AS unit, member, start, end,
       [r IN tail | r {.*, type: type(r), from: startNode(r).id, to: endNode(r).id}] AS claims,
       COLLECT {
         MATCH (u)<-[c:COMMANDED]-(p:Person)
         WHERE (c.retracted_at IS NULL OR $all) AND ($person IS NULL OR p.id = $person)
           AND ($all OR start IS NULL OR ((c.valid_from IS NULL OR c.valid_from <= end)
                                   AND (c.valid_to IS NULL OR c.valid_to >= start)))
         RETURN {person: p.id, claim: properties(c)}
       } AS commanders
