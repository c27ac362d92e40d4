"""dosecourse: the computations behind the bilingual oncology dose-optimization course.

Every notebook in the book calls this package.  Science modules (``dosecourse.fih``, ``dosecourse.pk``,
``dosecourse.escalation``, ...) compute and never draw; :mod:`dosecourse.chapters` holds one presentation module
per chapter (its figures, tables, widgets and glued numbers).  Sub-packages are imported on demand
(``from dosecourse import escalation``), and importing the package changes no global state (no NumPy print
options, no matplotlib settings).

Conventions used throughout
---------------------------
* Doses are numbered 1..K wherever a dose is named (arguments such as ``current=2``, returned
  recommendations, tables).  Arrays "per dose" are ordered dose 1 first, so ``selection[0]`` is dose 1.
* ``lang`` is ``"en"`` or ``"zh-tw"``; labels come from :mod:`dosecourse.i18n`.
* Every public function validates its arguments (:mod:`dosecourse._validate`): a bad argument raises
  ``ValueError`` or ``TypeError`` naming it.
"""

__version__ = "0.2.0"
