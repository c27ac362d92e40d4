"""Published data the course reproduces: transcribed tables, trial paths and model parameters.

One JSON file per source, each with a ``"source"`` entry giving the full citation (and the table or page the
numbers come from), and usually a ``"description"`` of what it encodes and a ``"note"`` on what to watch when
using it.  The package's code and the tests read the same files through :func:`load`, so there is no second
copy to keep in sync; the book cites the papers, not these files.

The dose-escalation reference cases (read by the tests of :mod:`dosecourse.escalation`):

* ``boin_tutorial_path``, ``mtpi_ji2010_fig2_paths``, ``mtpi2_guo2017_fig3_paths``, ``tpi_ji2007_paths`` and
  ``boin12_lin2020_paths``: published decision paths, the design settings (``"design"``, where the source
  gives them) and a list of ``"paths"``, each an outcome string with the decision after it;
* ``crm_cheung2011_table3_2``: a 20-patient CRM trial, patient by patient, with the posterior mean of beta;
* ``bfboin_zhao2024_table4``: scenarios and simulated operating characteristics of BF-BOIN and its BOIN
  comparator.  Its ``"note"`` records a subtlety: the paper's BOIN comparator keeps "1 DLT in 3 patients" at
  the current dose rather than de-escalating, so its rows are reproduced with that option
  (``BFBOIN(..., stay_1_of_3=True)``), and simulated rows agree within Monte Carlo error, not exactly.

Outcome strings, the notation of the dose-finding literature: ``"1NNT 2NNN"`` is a cohort of three at dose 1
with one DLT (T) and two patients without (N), then a cohort of three at dose 2 with none; efficacy-toxicity
strings use E (efficacy only), T (toxicity only), B (both) and N (neither).  Each path is cumulative (the
whole trial so far); ``"dose"`` is the dose the design gives the next cohort, and ``"dose": "NA"`` with
``"continue": false`` means that the design stops the trial (for BOIN12's last path, which reaches the
maximum sample size, ``"dose"`` is the optimal biological dose selected).
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
