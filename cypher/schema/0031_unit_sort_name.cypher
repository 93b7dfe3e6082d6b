CREATE INDEX unit_sort_name IF NOT EXISTS FOR (n:Unit) ON (n.sort_name)
