"""Use cases: reading and writing nodes and claims, importing, exporting."""
