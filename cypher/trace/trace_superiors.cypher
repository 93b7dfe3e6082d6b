// Commanders of the units involved, and of the units above them, at the time.
// A unit is involved when it operated the facility where the incident occurred, or
// when a perpetrator or orderer was its member. From each, the command chain is
// climbed upwards only, through SUBORDINATE_TO links in force, up to $max_depth links
// (the pattern's fixed bound is the largest depth allowed). `cut` marks a chain that
// goes on above the bound, so the caller can say the bound cut it. With $all, claims
// need not be in force and retracted ones are kept (for explain); $person keeps one.
UNWIND $ids AS id
MATCH (i:Incident {id: id})
WITH i, i.start_date AS start, coalesce(i.end_date, i.start_date) AS end
CALL (i, start, end) {
  MATCH (i)-[o:OCCURRED_AT]->(:Facility)<-[op:OPERATED]-(u:Unit)
  WHERE (o.retracted_at IS NULL OR $all) AND (op.retracted_at IS NULL OR $all)
    AND ($all OR start IS NULL OR ((op.valid_from IS NULL OR op.valid_from <= end)
                            AND (op.valid_to IS NULL OR op.valid_to >= start)))
  RETURN u, [op, o] AS tail
  UNION ALL
  MATCH (i)<-[act:PERPETRATED|ORDERED]-(:Person)-[m:MEMBER_OF]->(u:Unit)
  WHERE (act.retracted_at IS NULL OR $all) AND (m.retracted_at IS NULL OR $all)
    AND ($all OR start IS NULL OR ((m.valid_from IS NULL OR m.valid_from <= end)
                            AND (m.valid_to IS NULL OR m.valid_to >= start)))
  RETURN u, [m, act] AS tail
}
MATCH chain = (u)-[:SUBORDINATE_TO*0..10]->(top:Unit)
WHERE length(chain) <= $max_depth
  AND all(s IN relationships(chain) WHERE (s.retracted_at IS NULL OR $all)
          AND ($all OR start IS NULL OR ((s.valid_from IS NULL OR s.valid_from <= end)
                                  AND (s.valid_to IS NULL OR s.valid_to >= start))))
WITH i, start, end, top, tail, relationships(chain) AS climb,
     length(chain) = $max_depth AND EXISTS {
       MATCH (top)-[s:SUBORDINATE_TO]->(:Unit)
       WHERE (s.retracted_at IS NULL OR $all)
         AND ($all OR start IS NULL OR ((s.valid_from IS NULL OR s.valid_from <= end)
                                 AND (s.valid_to IS NULL OR s.valid_to >= start)))
     } AS cut
OPTIONAL MATCH (top)<-[c:COMMANDED]-(p:Person)
WHERE (c.retracted_at IS NULL OR $all) AND ($person IS NULL OR p.id = $person)
  AND ($all OR start IS NULL OR ((c.valid_from IS NULL OR c.valid_from <= end)
                          AND (c.valid_to IS NULL OR c.valid_to >= start)))
RETURN i.id AS incident, p.id AS person, 'SUPERIOR_RESPONSIBILITY' AS mode,
       [r IN [c] + reverse(climb) + tail
        | r {.*, type: type(r), from: startNode(r).id, to: endNode(r).id}] AS claims,
       cut
