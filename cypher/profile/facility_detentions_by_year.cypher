// How many detention records at a facility overlap each year of a range; records
// with no start date are counted apart, as they may belong to any earlier year.
UNWIND range($from_year, $to_year) AS year
WITH year, date({year: year, month: 1, day: 1}) AS first,
     date({year: year, month: 12, day: 31}) AS last
OPTIONAL MATCH (:Facility {id: $id})<-[r:DETAINED_AT]-(:Person)
WHERE r.retracted_at IS NULL
  AND (r.valid_from IS NULL OR r.valid_from <= last)
  AND (r.valid_to IS NULL OR r.valid_to >= first)
RETURN year, count(CASE WHEN r.valid_from IS NOT NULL THEN 1 END) AS detained,
       count(CASE WHEN r IS NOT NULL AND r.valid_from IS NULL THEN 1 END) AS undated
ORDER BY year
