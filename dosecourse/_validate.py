"""Argument checks shared by the whole package: every public function validates its input here.

Each check returns the value in the form the caller computes with (a float, an int, a NumPy array) or raises
``TypeError`` (wrong kind of value) or ``ValueError`` (right kind, wrong value) with a message that names the
argument, says what was expected and shows what was given.  Nothing else in the package writes its own
"must be ..." message: a new kind of check belongs here, so that every function speaks the same way.

Size bounds (:data:`MAX_TRIALS`, :data:`MAX_PATIENTS`, ...) keep a mistyped argument from making work explode:
a call that would run for hours is refused at once, with the bound in the message.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Collection, Sequence
from typing import Any

import numpy as np

DEFAULT_SEED: int = 2025
"""The seed every simulation of the course uses unless told otherwise."""

MAX_TRIALS: int = 10_000_000
"""Largest number of simulated trials a simulation accepts."""

MAX_PATIENTS: int = 10_000
"""Largest sample size (patients per trial or per arm) a design or calculation accepts."""

MAX_DOSES: int = 50
"""Largest number of dose levels a design accepts."""

MAX_COHORTS: int = 1_000
"""Largest number of cohorts of an escalation trial."""

MAX_GRID: int = 1_000_000
"""Largest number of points of a time or dose grid."""


def _shown(value: object) -> str:
    """A short representation of ``value`` for an error message."""
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


def _real(value: object, name: str, what: str) -> float:
    """``value`` as a float, refusing bools, strings and non-numbers with a message naming ``name``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Real, np.number)):
        raise TypeError(f"{name} must be {what}; got {_shown(value)}")
    return float(value)


def number(value: object, name: str, *, minimum: float | None = None, maximum: float | None = None,
           strict_minimum: bool = False, strict_maximum: bool = False) -> float:
    """Return ``value`` as a finite float, optionally within ``[minimum, maximum]`` (or an open end).

    Examples
    --------
    >>> number(2, "dose", minimum=0)
    2.0
    """
    lo = "" if minimum is None else (f"> {minimum:g}" if strict_minimum else f">= {minimum:g}")
    hi = "" if maximum is None else (f"< {maximum:g}" if strict_maximum else f"<= {maximum:g}")
    bounds = " and ".join(b for b in (lo, hi) if b)
    what = "a finite number" + (f" {bounds}" if bounds else "")
    x = _real(value, name, what)
    ok = math.isfinite(x)
    if ok and minimum is not None:
        ok = x > minimum if strict_minimum else x >= minimum
    if ok and maximum is not None:
        ok = x < maximum if strict_maximum else x <= maximum
    if not ok:
        raise ValueError(f"{name} must be {what}; got {_shown(value)}")
    return x


def positive(value: object, name: str, *, allow_zero: bool = False, maximum: float | None = None) -> float:
    """Return ``value`` as a finite float > 0 (>= 0 with ``allow_zero``), at most ``maximum`` if given."""
    return number(value, name, minimum=0.0, strict_minimum=not allow_zero, maximum=maximum)


def not_nan(value: object, name: str) -> float:
    """Return ``value`` as a float that may be infinite but not NaN (a test statistic with zero variance)."""
    x = _real(value, name, "a number (not NaN)")
    if math.isnan(x):
        raise ValueError(f"{name} must be a number (infinite allowed, not NaN); got {_shown(value)}")
    return x


def probability(value: object, name: str, *, open_interval: bool = True) -> float:
    """Return ``value`` as a float in (0, 1) (or [0, 1] when not ``open_interval``)."""
    interval = "(0, 1)" if open_interval else "[0, 1]"
    x = _real(value, name, f"a probability in {interval}")
    ok = 0.0 < x < 1.0 if open_interval else 0.0 <= x <= 1.0
    if not ok:  # NaN fails both comparisons
        raise ValueError(f"{name} must lie in {interval}; got {_shown(value)}")
    return x


def boolean(value: object, name: str) -> bool:
    """Return ``value`` as a bool, accepting only True or False (not 0, 1 or strings)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False; got {_shown(value)}")
    return bool(value)


def integer(value: object, name: str, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """Return ``value`` as an int after checking it is a whole number in ``[minimum, maximum]``."""
    bounds = " and ".join(b for b in ("" if minimum is None else f">= {minimum}",
                                      "" if maximum is None else f"<= {maximum:,}") if b)
    what = "a whole number" + (f" {bounds}" if bounds else "")
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Integral, np.integer)):
        raise TypeError(f"{name} must be {what}; got {_shown(value)}")
    v = int(value)
    if (minimum is not None and v < minimum) or (maximum is not None and v > maximum):
        raise ValueError(f"{name} must be {what}; got {v:,}")
    return v


def positive_int(value: object, name: str, *, minimum: int = 1, maximum: int | None = None) -> int:
    """Return ``value`` as an int after checking it is a whole number >= ``minimum`` (and <= ``maximum``)."""
    return integer(value, name, minimum=minimum, maximum=maximum)


def n_trials(value: object, name: str = "n_trials") -> int:
    """A number of simulated trials: a whole number from 1 to :data:`MAX_TRIALS`."""
    return integer(value, name, minimum=1, maximum=MAX_TRIALS)


def one_of(value: object, name: str, options: Collection[Any]) -> Any:
    """Return ``value`` after checking it is one of ``options`` (compared with ``==``)."""
    try:
        known = value in options
    except TypeError:  # an unhashable value looked up in a set or dict
        known = False
    if not known:
        raise ValueError(f"{name} must be one of {tuple(options)}; got {_shown(value)}")
    return value


def text(value: object, name: str) -> str:
    """Return ``value`` after checking it is a string."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string; got {_shown(value)}")
    return value


def real_array(values: object, name: str, *, minimum: float | None = None, maximum: float | None = None,
               strict_minimum: bool = False, ndim: int | None = None, length: int | None = None,
               nonempty: bool = False, increasing: bool = False, max_size: int | None = None,
               allow_infinite: bool = False) -> np.ndarray:
    """Return ``values`` (a number or an array of any shape) as a float array of finite numbers.

    Parameters
    ----------
    values : array_like
        The argument.
    name : str
        Its name, for the message.
    minimum, maximum : float, optional
        Bounds every element must respect (``minimum`` strict with ``strict_minimum``).
    ndim, length : int, optional
        Required number of dimensions, and length of a 1-D array.
    nonempty, increasing : bool
        Require at least one element; require a strictly increasing 1-D array.
    max_size : int, optional
        Largest number of elements accepted.
    allow_infinite : bool
        Accept infinite elements (a documented value such as "never reached"); NaN is refused all the same.

    Examples
    --------
    >>> real_array([1, 2], "dose").tolist()
    [1.0, 2.0]
    """
    if isinstance(values, (str, bytes, bool, np.bool_)) or values is None:
        raise TypeError(f"{name} must be a number or an array of numbers; got {_shown(values)}")
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a number or an array of numbers; got {_shown(values)}") from None
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be {'a single number' if ndim == 0 else f'a {ndim}-D array'}; "
                         f"got shape {arr.shape}")
    if length is not None and arr.size != length:
        raise ValueError(f"{name} must have {length} values (one per dose or arm); got {arr.size}")
    if nonempty and arr.size == 0:
        raise ValueError(f"{name} must not be empty")
    if max_size is not None and arr.size > max_size:
        raise ValueError(f"{name} may hold at most {max_size:,} values; got {arr.size:,}")
    if allow_infinite and np.any(np.isnan(arr)):
        raise ValueError(f"{name} must hold numbers (infinity allowed, not NaN); got {_shown(values)}")
    if not allow_infinite and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must hold finite numbers (no NaN or infinity); got {_shown(values)}")
    if minimum is not None:
        bad = arr <= minimum if strict_minimum else arr < minimum
        if np.any(bad):
            raise ValueError(f"{name} must be {'>' if strict_minimum else '>='} {minimum:g}; got "
                             f"{_shown(arr[bad].tolist())}")
    if maximum is not None and np.any(arr > maximum):
        raise ValueError(f"{name} must be <= {maximum:g}; got {_shown(arr[arr > maximum].tolist())}")
    if increasing and (arr.ndim != 1 or np.any(np.diff(arr) <= 0)):
        raise ValueError(f"{name} must be strictly increasing; got {_shown(arr.tolist())}")
    return arr


def probabilities(values: Sequence[float], name: str, *, length: int | None = None,
                  open_interval: bool = True, increasing: bool = False) -> np.ndarray:
    """Return ``values`` as a non-empty 1-D float array of probabilities, checking range, length and order."""
    interval = "(0, 1)" if open_interval else "[0, 1]"
    if isinstance(values, (str, bytes)) or values is None or np.ndim(values) != 1:
        raise TypeError(f"{name} must be a 1-D sequence of probabilities in {interval}; got {_shown(values)}")
    arr = real_array(values, name, ndim=1, nonempty=True, max_size=MAX_GRID)
    if length is not None and arr.size != length:
        raise ValueError(f"{name} must have one value per dose ({length}); got {arr.size}")
    ok = (arr > 0) & (arr < 1) if open_interval else (arr >= 0) & (arr <= 1)
    if not np.all(ok):
        raise ValueError(f"every value of {name} must lie in {interval}; got {_shown(arr[~ok].tolist())}")
    if increasing and np.any(np.diff(arr) <= 0):
        raise ValueError(f"{name} must be strictly increasing across doses; got {_shown(arr.tolist())}")
    return arr


def whole_array(values: object, name: str, *, minimum: int | None = 0, ndim: int | None = None,
                length: int | None = None) -> np.ndarray:
    """Return ``values`` as an int64 array of whole numbers (>= ``minimum``)."""
    if isinstance(values, (str, bytes, bool)) or values is None:
        raise TypeError(f"{name} must be whole numbers; got {_shown(values)}")
    try:
        a = np.asarray(values)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be whole numbers; got {_shown(values)}") from None
    if a.dtype == bool or not (np.issubdtype(a.dtype, np.integer) or np.issubdtype(a.dtype, np.floating)):
        raise TypeError(f"{name} must hold whole numbers; got {_shown(values)}")
    if ndim is not None and a.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D array; got shape {a.shape}")
    if length is not None and (a.ndim != 1 or a.size != length):
        raise ValueError(f"{name} must have one count per dose ({length}); got shape {a.shape}")
    if not np.all(np.isfinite(a)) or np.any(a != np.round(a)):
        raise TypeError(f"{name} must hold whole numbers; got {_shown(np.asarray(values).tolist())}")
    if a.dtype.kind == "f" and np.any(np.abs(a) >= 2.0 ** 62):  # beyond int64: the cast would wrap
        raise ValueError(f"{name} holds a number too large to count with; got {_shown(np.asarray(values).tolist())}")
    if minimum is not None and np.any(a < minimum):
        bound = "negative" if minimum == 0 else f"below {minimum}"
        raise ValueError(f"{name} must not be {bound}; got {_shown(np.asarray(values).tolist())}")
    return a.astype(np.int64)


def flags(values: object, name: str, *, shape: tuple[int, ...] | None = None) -> np.ndarray:
    """Return ``values`` as a boolean array (True/False values only, not 0/1), of ``shape`` if given.

    Examples
    --------
    >>> flags([True, False], "response").tolist()
    [True, False]
    """
    if isinstance(values, (str, bytes)) or values is None:
        raise TypeError(f"{name} must be an array of True/False values; got {_shown(values)}")
    a = np.asarray(values)
    if a.dtype != bool:
        raise TypeError(f"{name} must be an array of True/False values; got {_shown(values)}")
    if shape is not None and a.shape != shape:
        raise ValueError(f"{name} must have shape {shape}; got {a.shape}")
    return a


def sequence(value: object, name: str) -> tuple:
    """Return ``value`` as a tuple after checking it is a list or tuple (not a string, a mapping or None)."""
    if not isinstance(value, (list, tuple)):
        raise TypeError(f"{name} must be a list or tuple; got {_shown(value)}")
    return tuple(value)


def positions(values: object, name: str, size: int) -> np.ndarray:
    """Return ``values`` as a non-empty 1-D index into ``size`` items: 0-based positions or a boolean mask.

    Examples
    --------
    >>> positions([2, 0], "index", 3).tolist(), positions([True, False], "index", 2).tolist()
    ([2, 0], [True, False])
    """
    what = f"a 1-D array of positions 0..{size - 1} or a boolean mask of {size} values"
    if isinstance(values, (str, bytes)) or values is None:
        raise TypeError(f"{name} must be {what}; got {_shown(values)}")
    a = np.asarray(values)
    if a.ndim != 1 or not (a.dtype == bool or np.issubdtype(a.dtype, np.integer)):
        raise TypeError(f"{name} must be {what}; got {_shown(values)}")
    if (a.size == 0 or (a.dtype == bool and a.size != size)
            or (a.dtype != bool and np.any((a < 0) | (a >= size)))):
        raise ValueError(f"{name} must be {what} (selecting at least one); got {_shown(a.tolist())}")
    if a.dtype == bool and not a.any():
        raise ValueError(f"{name} must select at least one of the {size} items; got no True value")
    return a


def counts(n: Sequence[int], y: Sequence[int], n_doses: int, *, n_name: str = "n",
           y_name: str = "y") -> tuple[np.ndarray, np.ndarray]:
    """Check patients ``n`` and events ``y`` per dose; return them as int arrays of length ``n_doses``."""
    n_arr = whole_array(n, n_name, length=n_doses)
    y_arr = whole_array(y, y_name, length=n_doses)
    if np.any(n_arr > MAX_PATIENTS):
        raise ValueError(f"{n_name} may not exceed {MAX_PATIENTS:,} patients at a dose; got {n_arr.tolist()}")
    if np.any(y_arr > n_arr):
        raise ValueError(f"{y_name} cannot exceed {n_name} at any dose; got {y_name}={y_arr.tolist()}, "
                         f"{n_name}={n_arr.tolist()}")
    return n_arr, y_arr


def dose(value: object, n_doses: int, name: str = "current") -> int:
    """Check a dose label is a whole number in 1..n_doses (the course numbers doses from 1)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Integral, np.integer)):
        raise TypeError(f"{name} must be a dose number 1..{n_doses}; got {_shown(value)}")
    if not 1 <= value <= n_doses:
        raise ValueError(f"{name} must be a dose number 1..{n_doses} (doses are numbered from 1); got {value}")
    return int(value)


def mapping(value: object, name: str) -> dict:
    """Return ``value`` as a dict after checking it is a mapping."""
    from collections.abc import Mapping

    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a mapping (a dict); got {_shown(value)}")
    return dict(value)


def instance(value: object, name: str, kind: type | tuple[type, ...]) -> Any:
    """Return ``value`` after checking it is an instance of ``kind``."""
    if not isinstance(value, kind):
        names = " or ".join(k.__name__ for k in (kind if isinstance(kind, tuple) else (kind,)))
        raise TypeError(f"{name} must be a {names}; got {type(value).__name__} {_shown(value)}")
    return value


def seed(value: object, name: str = "seed") -> int | None:
    """Check a seed: a whole number >= 0 or None."""
    if value is None:
        return None
    return integer(value, name, minimum=0)


def rng(value: object = DEFAULT_SEED, name: str = "seed") -> tuple[np.random.Generator, int | None]:
    """The one random-state helper of the package: ``(generator, seed used)`` from an int, None or a Generator.

    An int seeds :func:`numpy.random.default_rng`; ``None`` draws a fresh seed from the operating system and
    returns it, so that the result can still be reproduced; a Generator is used as it is (its seed is unknown,
    returned as None).

    Examples
    --------
    >>> gen, used = rng(7)
    >>> used
    7
    """
    if isinstance(value, np.random.Generator):
        return value, None
    if value is None:
        used = int(np.random.SeedSequence().entropy % (2 ** 63))
    else:
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Integral, np.integer)):
            raise TypeError(f"{name} must be a whole number >= 0, None or a numpy Generator; got {_shown(value)}")
        used = integer(value, name, minimum=0)
    return np.random.default_rng(used), used


def scalar_or_array(x: np.ndarray) -> float | np.ndarray:
    """``x`` as a Python float when it is 0-dimensional (the input was a number), else the array itself.

    Functions that accept a number or an array use it to return a number for a number.

    Examples
    --------
    >>> scalar_or_array(np.asarray(2.0)), scalar_or_array(np.array([1.0, 2.0])).tolist()
    (2.0, [1.0, 2.0])
    """
    return float(x) if np.ndim(x) == 0 else x
