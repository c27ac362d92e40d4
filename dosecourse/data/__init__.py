"""Published data the course reproduces: transcribed tables, trial paths and model parameters.

One JSON file per source, each with a ``"source"`` entry giving the full citation (and the table or page the
numbers come from).  The package's code and the tests read the same files through :func:`load`, so there is
no second copy to keep in sync.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from .. import _validate


def names() -> list[str]:
    """The names of the data files (without ``.json``).

    Examples
    --------
    >>> "landscape" in names()
    True
    """
    return sorted(p.name[:-5] for p in resources.files(__name__).iterdir() if p.name.endswith(".json"))


@cache
def _read(name: str) -> str:
    return (resources.files(__name__) / f"{name}.json").read_text(encoding="utf-8")


def load(name: str) -> dict | list:
    """The parsed content of data file ``name`` (a fresh copy on every call).

    Parameters
    ----------
    name : str
        File name without ``.json``, one of :func:`names`.

    Returns
    -------
    dict or list

    Raises
    ------
    ValueError
        If there is no such file.

    Examples
    --------
    >>> load("landscape")["harvey2023"]["n_drugs"]
    59
    """
    _validate.one_of(_validate.text(name, "name"), "name", names())
    return json.loads(_read(name))
