CREATE INDEX facility_sort_name IF NOT EXISTS FOR (n:Facility) ON (n.sort_name)
