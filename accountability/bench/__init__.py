"""The benchmark behind ``accountability bench``: generated fictional graphs, timed."""
