"""One person, one node: finding records that may be one person."""
