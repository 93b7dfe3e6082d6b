// The standing VICTIM claims of these incidents, with the incident's kind and each
// victim's recorded fate: ids and kinds only, so counts never name a protected victim.
UNWIND $ids AS id
MATCH (i:Incident {id: id})-[v:VICTIM]->(p:Person)
WHERE v.retracted_at IS NULL
RETURN i.id AS incident, i.kind AS kind, p.id AS victim, p.status AS status,
       v {.*, type: type(v), from: i.id, to: p.id} AS claim
