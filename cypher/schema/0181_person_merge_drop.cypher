CREATE INDEX person_merge_drop IF NOT EXISTS FOR (m:PersonMerge) ON (m.drop)
