"""Backup and restore of a deployment's data (docs/design.md, "Backup and restore"): the
graph (audit chain included) as the engine's own consistent online snapshot, the
evidence originals and the settings that live in the data folder, in one archive with a
manifest of SHA-256 hashes."""
