"""dosecourse: the computations behind the bilingual oncology dose-optimization course.

Every notebook in the book calls this package; formulas, simulations, figures and widgets live here, each
with a docstring that cites its source. Sub-packages are imported on demand (``from dosecourse import
escalation``) so that ``import dosecourse`` stays light.

Conventions used throughout
---------------------------
* Doses are numbered 1..K wherever a dose is named (arguments such as ``current=2``, returned
  recommendations, tables).  Arrays "per dose" are ordered dose 1 first, so ``selection[0]`` is dose 1.
* ``lang`` is ``"en"`` or ``"zh-tw"``; labels come from :mod:`dosecourse.i18n`.
"""

import numpy as _np

__version__ = "0.1.0"

# Numbers print as numbers: numpy 2 writes scalars as ``np.float64(0.83)``, which readers should not see in a
# notebook, and which myst-nb cannot format when a notebook glues the value into prose (``{glue:text}`x:.2f```).
# The classic representation (``0.83``) fixes both for every notebook that imports the course package.
_np.set_printoptions(legacy="1.25")
