"""Repository tooling: executing and storing notebooks, the sites, handouts, the benchmark.

Not part of the package that notebooks import; run through ``make``.
"""
