// Benchmark (benchmarks/peer_bench.py): the raw driver's one statement for a person with
// their claims and the other ends, the data the service and the peer are asked for.
MATCH (n:Entity {id: $id})
WHERE n:Person
RETURN n.id AS id, n.name AS name,
       COLLECT {
         MATCH (n)-[r]-(m)
         WHERE type(r) IN $types
         RETURN {id: r.id, type: type(r), valid_from: r.valid_from, valid_to: r.valid_to,
                 date_precision: r.date_precision, confidence: r.confidence,
                 node: {id: m.id, name: m.name, kind: m.kind, start_date: m.start_date}}
       } AS claims
