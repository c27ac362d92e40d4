"""The answer a design gives after each cohort: where the next patients go, and why."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .. import _validate
from ..i18n import catalogue, t
from .data import NO_DOSE

ACTIONS: tuple[str, ...] = ("escalate", "stay", "de-escalate", "stop")
"""What a decision can say."""


@dataclass(frozen=True)
class Decision:
    """A dose-assignment decision.

    Parameters
    ----------
    action : {"escalate", "stay", "de-escalate", "stop"}
        What the rule says.  "escalate" at the top dose (or below an eliminated dose) is reported as "stay"
        with the reason saying why.
    dose : int
        The dose (1..K) for the next cohort; :data:`~dosecourse.escalation.NO_DOSE` (0) when the trial stops.
    key : str
        Id of the reason's text in :mod:`dosecourse.i18n`.
    fields : dict
        Values that fill the reason's placeholders.
    eliminated : int
        Lowest dose (1..K) removed by the safety rule so far, with all doses above it;
        :data:`~dosecourse.escalation.NO_DOSE` if none.

    Raises
    ------
    ValueError, TypeError
        On an unknown action, a dose that is not a whole number >= 0, or a stop with a dose (or a dose
        without a stop).
    """

    action: str
    dose: int
    key: str
    fields: dict = field(default_factory=dict)
    eliminated: int = NO_DOSE

    def __post_init__(self) -> None:
        _validate.one_of(self.action, "action", ACTIONS)
        object.__setattr__(self, "dose", _validate.integer(self.dose, "dose", minimum=0))
        object.__setattr__(self, "eliminated", _validate.integer(self.eliminated, "eliminated", minimum=0))
        if _validate.text(self.key, "key") not in catalogue():
            raise ValueError(f"key must be the id of a reason's label (dosecourse/labels/**/*.toml); got "
                             f"{self.key!r}")
        for name, value in _validate.mapping(self.fields, "fields").items():
            if isinstance(value, (float, np.floating)) and not np.isfinite(value):
                raise ValueError(f"fields[{name!r}] must be a finite number; got {value}")
        if (self.action == "stop") != (self.dose == NO_DOSE):
            raise ValueError("a 'stop' decision has dose NO_DOSE (0), and only a 'stop' decision has")

    def reason(self, lang: str = "en") -> str:
        """The reason in words, in ``lang``, e.g. ``"escalate: 0/3 DLTs, 0.000 <= lambda_e = 0.236"``.

        Parameters
        ----------
        lang : {"en", "zh-tw"}
            Language of the text (default ``"en"``).

        Returns
        -------
        str
            The label :attr:`key` in ``lang``, filled with :attr:`fields`.
        """
        return t(self.key, lang, **self.fields)

    def __str__(self) -> str:
        where = "stop the trial" if self.dose == NO_DOSE else f"dose {self.dose}"
        return f"{where} ({self.reason('en')})"
