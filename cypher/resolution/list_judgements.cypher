// Every judgement of a candidate pair, for the listing to leave out pairs judged
// different and to say how the others were judged.
MATCH (j:DuplicateJudgement)
RETURN j.a AS a, j.b AS b, j.verdict AS verdict, j.by AS by, j.at AS at
