// The standing judgement of a pair, read in the transaction of a merge.
MATCH (j:DuplicateJudgement {id: $id})
RETURN j.verdict AS verdict, j.by AS by, j.at AS at
