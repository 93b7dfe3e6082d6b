CREATE INDEX case_sort_name IF NOT EXISTS FOR (n:Case) ON (n.sort_name)
