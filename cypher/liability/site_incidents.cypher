// The incidents at these facilities, each once a facility, with its period and its
// deaths: victims of a killing, or victims who died in custody.
UNWIND $ids AS id
MATCH (site:Facility {id: id})<-[o:OCCURRED_AT]-(j:Incident)
WHERE o.retracted_at IS NULL AND j.start_date IS NOT NULL
OPTIONAL MATCH (j)-[v:VICTIM]->(victim:Person)
WHERE v.retracted_at IS NULL AND (j.kind = 'killing' OR victim.status = 'died_in_custody')
RETURN id AS site, j.id AS incident, j.start_date AS start,
       coalesce(j.end_date, j.start_date) AS end, collect(DISTINCT victim.id) AS deaths
