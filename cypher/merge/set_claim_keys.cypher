// After claims moved: each key names its claim's start node again.
UNWIND $rows AS row
MATCH (k:ClaimKey {id: row.id})
SET k.from = row.from
RETURN count(k) AS set
