"""Benchmarks run as commands, outside the package (``python -m benchmarks.peer_bench``)."""
