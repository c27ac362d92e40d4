"""The answer a design gives after each cohort: where the next patients go, and why."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..i18n import t

ACTIONS = ("escalate", "stay", "de-escalate", "stop")


@dataclass(frozen=True)
class Decision:
    """A dose-assignment decision.

    Attributes
    ----------
    action : {"escalate", "stay", "de-escalate", "stop"}
        What the rule says.  "escalate" at the top dose (or below an eliminated dose) is reported as "stay"
        with the reason saying why.
    dose : int or None
        The dose (1..K) for the next cohort; ``None`` when the trial stops.
    key : str
        Id of the reason's text in :mod:`dosecourse.i18n`.
    fields : dict
        Values that fill the reason's placeholders.
    eliminated : int or None
        Lowest dose (1..K) removed by the safety rule so far, if any; that dose and all above are closed.
    """

    action: str
    dose: int | None
    key: str
    fields: dict = field(default_factory=dict)
    eliminated: int | None = None

    def __post_init__(self) -> None:
        if self.action not in ACTIONS:
            raise ValueError(f"action must be one of {ACTIONS}; got {self.action!r}")
        if (self.action == "stop") != (self.dose is None):
            raise ValueError("a 'stop' decision has dose None, and only a 'stop' decision has")

    def reason(self, lang: str = "en") -> str:
        """The reason in words, in ``lang``, e.g. ``"escalate: 0/3 DLTs, 0.000 <= lambda_e = 0.236"``."""
        return t(self.key, lang, **self.fields)

    def __str__(self) -> str:
        where = "stop the trial" if self.dose is None else f"dose {self.dose}"
        return f"{where} ({self.reason('en')})"
