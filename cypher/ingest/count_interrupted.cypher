// How many runs were interrupted and not yet resumed.
MATCH (r:ImportRun {status: 'interrupted'})
RETURN count(r) AS interrupted
