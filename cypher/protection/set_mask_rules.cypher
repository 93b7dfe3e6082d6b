// The rules that make renditions changed (a new version of the code): a new version of
// the renditions, every older one held back until made again. Nothing when they did not.
MERGE (g:MaskState {id: 'mask'})
ON CREATE SET g.gen = 0, g.floor = 0
WITH g
WHERE coalesce(g.rules, 0) <> $rules
SET g.gen = g.gen + 1, g.rules = $rules, g.changed_at = $now
WITH g
SET g.floor = g.gen
RETURN g.gen AS gen
