// Two persons with exact, standing COMMANDED claims on the same unit whose periods share
// a day (a missing start or end is open). `exact` means the claim held on every day of
// its range, so two of them overlapping say the unit had two commanders at once; an
// approximate claim says only "on some day of it" and is left out. Each pair once:
// the person with the smaller id first. Work: each unit's exact commanders, in pairs.
MATCH (u:Unit)<-[a:COMMANDED]-(first:Person)
WHERE a.retracted_at IS NULL AND a.date_precision = 'exact'
MATCH (u)<-[b:COMMANDED]-(second:Person)
WHERE b.retracted_at IS NULL AND b.date_precision = 'exact' AND first.id < second.id
WITH u, first, second, a, b,
     CASE WHEN a.valid_from IS NULL THEN b.valid_from
          WHEN b.valid_from IS NULL OR a.valid_from >= b.valid_from THEN a.valid_from
          ELSE b.valid_from END AS start,
     CASE WHEN a.valid_to IS NULL THEN b.valid_to
          WHEN b.valid_to IS NULL OR a.valid_to <= b.valid_to THEN a.valid_to
          ELSE b.valid_to END AS end
WHERE start IS NULL OR end IS NULL OR start <= end
RETURN u.id AS unit, first.id AS first, a.id AS first_claim, second.id AS second,
       b.id AS second_claim, start, end
ORDER BY unit, first, second, first_claim, second_claim
LIMIT $limit
