// Undos of these runs that were cut short (or still run): until one is finished, the
// parts it already undid are not in the graph, whatever the runs' journal says.
UNWIND $ids AS id
MATCH (u:ImportRun {target: id})
WHERE u.kind = 'undo' AND u.status IN ['running', 'interrupted']
RETURN u.id AS id, u.target AS target
