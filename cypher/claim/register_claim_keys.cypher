// One ClaimKey node per claim, indexed by id and naming the claim's start node:
// relationship property indexes are not used for lookups on every engine, so a
// claim is found by an index seek on its key and one hop from its start node. The key
// also carries the version of the claim's rendition (null when it has no text), so
// the re-masking job finds claims by an index too.
UNWIND $rows AS row
MERGE (k:ClaimKey {id: row.id})
SET k.type = row.type, k.from = row.from, k.m_gen = row.m_gen,
    k.review_open = row.review_open, k.checked = true
RETURN count(k) AS registered
