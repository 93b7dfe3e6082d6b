// One ClaimKey node per claim, indexed by id and naming the claim's start node:
// relationship property indexes are not used for lookups on every engine, so a
// claim is found by an index seek on its key and one hop from its start node.
UNWIND $rows AS row
MERGE (k:ClaimKey {id: row.id})
SET k.type = row.type, k.from = row.from
RETURN count(k) AS registered
