"""Imports of spreadsheets by a mapping, and of the formats built on it (SFM)."""
