"""Witness protection by construction: renditions for readers without clearance, kept
up to date when the protected names change, and who may change protection."""
