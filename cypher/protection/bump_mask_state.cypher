// The protected names changed: a new version, and every rendition made before it is
// held back from readers without clearance until it has been masked again.
MERGE (g:MaskState {id: 'mask'})
ON CREATE SET g.gen = 0, g.floor = 0
SET g.gen = g.gen + 1
WITH g
SET g.floor = g.gen, g.changed_at = $now
RETURN g.gen AS gen
