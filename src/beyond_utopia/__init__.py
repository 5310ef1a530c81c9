"""Helper package for *Beyond Utopia, explained*.

Notebooks import what they need from the submodules:

- :mod:`beyond_utopia.data`: load the sourced tables, validated against ``data/datapackage.json``
- :mod:`beyond_utopia.params`: check notebook parameters
- :mod:`beyond_utopia.arrivals`, :mod:`beyond_utopia.timeline`, ...: topic logic
- :mod:`beyond_utopia.charts`: every figure, in one house style

The package imports nothing heavy at the top level, so ``import beyond_utopia`` is cheap.
"""

from beyond_utopia.errors import DataError, ParameterError

__all__ = ["DataError", "ParameterError", "__version__"]
__version__ = "0.1.0"
