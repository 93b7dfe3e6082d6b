"""Spreadsheets into interchange records by a mapping (docs/import.md). Pure: no I/O."""
