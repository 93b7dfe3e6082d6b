"""Data coming in: the interchange import and its journal (and, later, spreadsheet
mappings), kept together because they share the journal and its undo."""
