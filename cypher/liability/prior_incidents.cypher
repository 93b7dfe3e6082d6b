// Each person's prior incidents: begun before row.before, and such that the trace
// would make him a superior for them, each judged on its own period by the trace's
// rules — every claim on the way in force during that incident and not retracted: his
// command of a unit above (through at most $depth SUBORDINATE_TO links) a unit that
// operated the facility where it occurred, or of which a perpetrator or orderer (not
// himself) was a member; or his command post at that facility. One statement for all
// the persons of a case, instead of tracing every candidate incident again.
UNWIND $rows AS row
MATCH (p:Person {id: row.id})
CALL (p, row) {
  MATCH (p)-[c:COMMANDED]->(:Unit)<-[subs:SUBORDINATE_TO*0..10]-(:Unit)-[op:OPERATED]->(:Facility)<-[o:OCCURRED_AT]-(i:Incident)
  WHERE size(subs) <= $depth AND i.start_date < row.before AND o.retracted_at IS NULL
    AND all(r IN [c, op] + subs WHERE r.retracted_at IS NULL
            AND (r.valid_from IS NULL OR r.valid_from <= coalesce(i.end_date, i.start_date))
            AND (r.valid_to IS NULL OR r.valid_to >= i.start_date))
  RETURN i
  UNION
  MATCH (p)-[c:COMMANDED]->(:Unit)<-[subs:SUBORDINATE_TO*0..10]-(:Unit)<-[m:MEMBER_OF]-(a:Person)-[act:PERPETRATED|ORDERED]->(i:Incident)
  WHERE size(subs) <= $depth AND i.start_date < row.before AND a.id <> p.id
    AND act.retracted_at IS NULL
    AND all(r IN [c, m] + subs WHERE r.retracted_at IS NULL
            AND (r.valid_from IS NULL OR r.valid_from <= coalesce(i.end_date, i.start_date))
            AND (r.valid_to IS NULL OR r.valid_to >= i.start_date))
  RETURN i
  UNION
  MATCH (p)-[post:POSTED_AT]->(:Facility)<-[o:OCCURRED_AT]-(i:Incident)
  WHERE post.command = true AND i.start_date < row.before AND o.retracted_at IS NULL
    AND post.retracted_at IS NULL
    AND (post.valid_from IS NULL OR post.valid_from <= coalesce(i.end_date, i.start_date))
    AND (post.valid_to IS NULL OR post.valid_to >= i.start_date)
  RETURN i
}
RETURN row.id AS person, i.id AS incident, i.start_date AS start
