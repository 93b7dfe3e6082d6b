"""Exports of a case, a trace or the whole graph, in every format a court, a partner team
or another tool reads; each writer lives in its own module."""
