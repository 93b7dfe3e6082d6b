// Benchmark (benchmarks/peer_bench.py): a facility with its detainees and the incidents
// each detainee was a victim of, in one statement.
MATCH (f:Entity {id: $id})
WHERE f:Facility
RETURN f.id AS id, f.name AS name,
       COLLECT {
         MATCH (f)<-[d:DETAINED_AT]-(p:Person)
         RETURN {valid_from: d.valid_from, valid_to: d.valid_to, confidence: d.confidence,
                 id: p.id, name: p.name,
                 incidents: COLLECT {
                   MATCH (p)<-[v:VICTIM]-(i:Incident)
                   RETURN {confidence: v.confidence, id: i.id, kind: i.kind,
                           start_date: i.start_date}
                 }}
       } AS detainees
