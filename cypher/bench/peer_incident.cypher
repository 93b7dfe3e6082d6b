// Benchmark (benchmarks/peer_bench.py): an incident with its victims, perpetrators and
// those who ordered it, and the evidence items each claim cites, in one statement.
MATCH (i:Entity {id: $id})
WHERE i:Incident
RETURN i.id AS id, i.kind AS kind, i.start_date AS start_date,
       COLLECT {
         MATCH (i)-[r:VICTIM|PERPETRATED|ORDERED]-(p:Person)
         RETURN {type: type(r), confidence: r.confidence, valid_from: r.valid_from,
                 id: p.id, name: p.name,
                 evidence: COLLECT {
                   UNWIND r.evidence AS eid
                   MATCH (e:Entity {id: eid})
                   RETURN {id: e.id, title: e.title, source: e.source}
                 }}
       } AS claims
