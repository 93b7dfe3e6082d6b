"""Accountability graph: a GraphQL service for building criminal cases about detention abuses."""

__version__ = "0.1.0"
