"""Presentation: one module per chapter of the book, named after the chapter's notebook.

``book/<lang>/explore/backfill.ipynb`` draws every figure, table and widget it shows from
:mod:`dosecourse.chapters.backfill`, and glues every number of its prose from that module's ``numbers()``:
the code behind any figure is one hop away.  Chapter modules hold only presentation (figures, tables,
widgets) and the chapter's constants; the science they call lives in the science modules of
:mod:`dosecourse` (``dosecourse.escalation``, ``dosecourse.fih``, ...), which never draw.

:mod:`dosecourse.chapters.style` is the figure style and :mod:`dosecourse.chapters.widgets` the widget
mechanism shared by every chapter.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from types import ModuleType

import numpy as np

CHAPTERS: dict[str, str] = {
    "why_dose_optimization": "intro/why-dose-optimization",
    "toxicology_to_human_dose": "start/toxicology-to-human-dose",
    "pharmacology_based_starting_doses": "start/pharmacology-based-starting-doses",
    "exposure_not_just_dose": "start/exposure-not-just-dose",
    "escalation_plan": "start/escalation-plan",
    "designs_compared": "explore/designs-compared",
    "beyond_the_mtd": "explore/beyond-the-mtd",
    "backfill": "explore/backfill",
    "randomized_expansion": "explore/randomized-expansion",
    "biomarkers": "explore/biomarkers",
    "clinical_utility_index": "explore/clinical-utility-index",
    "model_informed_dosing": "register/model-informed-dosing",
    "lower_dose_enough": "register/lower-dose-enough",
    "choosing_among_doses": "register/choosing-among-doses",
    "exposure_response": "register/exposure-response",
    "totality_of_evidence": "register/totality-of-evidence",
    "seamless_designs": "register/seamless-designs",
    "immunotherapy_agonists": "classes/immunotherapy-agonists",
    "large_molecule_antagonists": "classes/large-molecule-antagonists",
    "small_molecules_and_adcs": "classes/small-molecules-and-adcs",
    "limited_single_agent_activity": "classes/limited-single-agent-activity",
    "capstone": "capstone/capstone",
}
"""Chapter module -> notebook path (without ``.ipynb``) under ``book/<lang>/``."""


def load(name: str) -> ModuleType:
    """Import the chapter module ``name`` (a key of :data:`CHAPTERS`).

    Parameters
    ----------
    name : str
        Chapter module name, one of the keys of :data:`CHAPTERS` (e.g. ``"backfill"``).

    Returns
    -------
    types.ModuleType
        The imported module ``dosecourse.chapters.<name>``.

    Raises
    ------
    ValueError
        If ``name`` is not a key of :data:`CHAPTERS`.
    """
    if name not in CHAPTERS:
        raise ValueError(f"name must be one of {tuple(CHAPTERS)}; got {name!r}")
    return importlib.import_module(f"{__name__}.{name}")


def load_all() -> list[ModuleType]:
    """Import every chapter module (which registers their widgets)."""
    return [load(name) for name in CHAPTERS]


def plain(value: object) -> object:
    """``value`` with NumPy scalars turned into Python numbers (so glued values format in the prose).

    Parameters
    ----------
    value : object
        Any value; a NumPy scalar (``np.generic``) is converted with ``.item()``, anything else is returned
        unchanged.

    Returns
    -------
    object

    Examples
    --------
    >>> plain(np.float64(0.5)), plain(np.int64(3))
    (0.5, 3)
    """
    if isinstance(value, np.generic):
        return value.item()
    return value


def glue_all(numbers: Mapping[str, object]) -> None:
    """Glue every number of a chapter (``chapter.numbers()``) for the prose, without displaying them.

    Parameters
    ----------
    numbers : mapping of str to number or str
        Name -> value; the prose refers to ``{glue:text}`name:.2f```.

    Raises
    ------
    TypeError
        On a value that is not a number or a string.
    """
    from myst_nb import glue

    for name, value in numbers.items():
        value = plain(value)
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise TypeError(f"numbers: {name} must be a number or a string to glue; got {type(value).__name__}")
        glue(name, value, display=False)
