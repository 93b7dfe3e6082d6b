"""The database: driver lifecycle, the embedded engine, the Cypher catalog."""
