// Store freshly computed renditions of claims, and their version on the claim's key.
UNWIND $rows AS row
MATCH (k:ClaimKey {id: row.id})
MATCH (a:Entity {id: k.from})-[r]->()
WHERE r.id = row.id AND type(r) = k.type
SET r += row.props, k.m_gen = row.props.m_gen, k.review_open = row.props.review_open
RETURN count(r) AS written
