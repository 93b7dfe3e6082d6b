// Other incidents around each incident, within $days of its period: at its facility, or
// at a facility operated (at the time of that other incident) by a unit that operated
// this incident's facility during it. Counts only, never names: incidents, the
// facilities they occurred at, and deaths (victims of killings or who died in custody).
UNWIND $ids AS id
MATCH (i:Incident {id: id})-[o:OCCURRED_AT]->(f:Facility)
WHERE o.retracted_at IS NULL AND i.start_date IS NOT NULL
WITH i, f, i.start_date AS start, coalesce(i.end_date, i.start_date) AS end
CALL (f, start, end) {
  MATCH (f)<-[o2:OCCURRED_AT]-(j:Incident)
  WHERE o2.retracted_at IS NULL
  RETURN j, f AS site
  UNION
  MATCH (f)<-[op:OPERATED]-(:Unit)-[op2:OPERATED]->(site:Facility)<-[o2:OCCURRED_AT]-(j:Incident)
  WHERE op.retracted_at IS NULL AND op2.retracted_at IS NULL AND o2.retracted_at IS NULL
    AND (op.valid_from IS NULL OR op.valid_from <= end)
    AND (op.valid_to IS NULL OR op.valid_to >= start)
    AND (op2.valid_from IS NULL OR op2.valid_from <= coalesce(j.end_date, j.start_date))
    AND (op2.valid_to IS NULL OR op2.valid_to >= j.start_date)
  RETURN j, site
}
WITH i, j, site, start, end
WHERE j.id <> i.id AND j.start_date IS NOT NULL
  AND j.start_date <= end + duration({days: $days})
  AND coalesce(j.end_date, j.start_date) >= start - duration({days: $days})
OPTIONAL MATCH (j)-[v:VICTIM]->(victim:Person)
WHERE v.retracted_at IS NULL AND (j.kind = 'killing' OR victim.status = 'died_in_custody')
RETURN i.id AS incident, count(DISTINCT j) AS incidents, count(DISTINCT site) AS facilities,
       count(DISTINCT victim) AS deaths
