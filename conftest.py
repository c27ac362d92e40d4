"""Repository-wide pytest configuration.

Doctests print NumPy scalars in the classic form (``0.83`` rather than ``np.float64(0.83)``), so the examples in
docstrings read as numbers.  This is set for the test session only: importing dosecourse changes no print
options.
"""

import numpy as np

np.set_printoptions(legacy="1.25")
