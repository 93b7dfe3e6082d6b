// Benchmark (benchmarks/peer_bench.py): a unit with its commanders and three levels of
// parent units, in one statement.
MATCH (u:Entity {id: $id})
WHERE u:Unit
RETURN u.id AS id, u.name AS name,
       COLLECT {
         MATCH (u)<-[c:COMMANDED]-(p:Person)
         RETURN {valid_from: c.valid_from, valid_to: c.valid_to, confidence: c.confidence,
                 id: p.id, name: p.name}
       } AS commanders,
       COLLECT {
         MATCH (u)-[s1:SUBORDINATE_TO]->(u1:Unit)
         RETURN {valid_from: s1.valid_from, valid_to: s1.valid_to, id: u1.id, name: u1.name,
                 parents: COLLECT {
                   MATCH (u1)-[s2:SUBORDINATE_TO]->(u2:Unit)
                   RETURN {valid_from: s2.valid_from, valid_to: s2.valid_to, id: u2.id,
                           name: u2.name,
                           parents: COLLECT {
                             MATCH (u2)-[s3:SUBORDINATE_TO]->(u3:Unit)
                             RETURN {valid_from: s3.valid_from, valid_to: s3.valid_to,
                                     id: u3.id, name: u3.name}
                           }}
                 }}
       } AS parents
