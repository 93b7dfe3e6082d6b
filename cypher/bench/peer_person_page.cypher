// Benchmark (benchmarks/peer_bench.py): the first page of persons by id, each with their
// MEMBER_OF claims and units, in one statement.
MATCH (p:Person)
WITH p
ORDER BY p.id
LIMIT $limit
RETURN p.id AS id, p.name AS name,
       COLLECT {
         MATCH (p)-[r:MEMBER_OF]->(u:Unit)
         RETURN {valid_from: r.valid_from, valid_to: r.valid_to, confidence: r.confidence,
                 id: u.id, name: u.name}
       } AS units
