// The nodes whose id is in [$lo, $hi), unordered: one range of the whole-graph export,
// read through the id index (both bounds given, so the engine scans the range only).
MATCH (n:Entity)
WHERE n.id >= $lo AND n.id < $hi
RETURN n.id AS id, [l IN labels(n) WHERE l <> 'Entity'][0] AS label, properties(n) AS props
