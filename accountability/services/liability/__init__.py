"""Liability: the trace (who is linked to an incident, how, with what evidence), and what
the same rules give — command charts, profiles, timelines."""
