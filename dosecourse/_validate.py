"""Argument checks shared by the package: each error names the argument and what was expected."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def probability(value: float, name: str, *, open_interval: bool = True) -> float:
    """Return ``value`` as a float after checking it lies in (0, 1) (or [0, 1] when not ``open_interval``)."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a number between 0 and 1; got {value!r}") from None
    ok = 0.0 < x < 1.0 if open_interval else 0.0 <= x <= 1.0
    if not ok or np.isnan(x):
        interval = "(0, 1)" if open_interval else "[0, 1]"
        raise ValueError(f"{name} must lie in {interval}; got {value!r}")
    return x


def probabilities(values: Sequence[float], name: str, *, length: int | None = None,
                  open_interval: bool = True, increasing: bool = False) -> np.ndarray:
    """Return ``values`` as a 1-D float array after checking range, length and (optionally) monotonicity."""
    arr = np.asarray(values, dtype=float) if not isinstance(values, str) else None
    if arr is None or arr.ndim != 1 or arr.size == 0:
        raise TypeError(f"{name} must be a non-empty 1-D sequence of probabilities; got {values!r}")
    if length is not None and arr.size != length:
        raise ValueError(f"{name} must have one value per dose ({length}); got {arr.size}")
    lo_ok = arr > 0 if open_interval else arr >= 0
    hi_ok = arr < 1 if open_interval else arr <= 1
    if not np.all(lo_ok & hi_ok):
        interval = "(0, 1)" if open_interval else "[0, 1]"
        bad = arr[~(lo_ok & hi_ok)]
        raise ValueError(f"every value of {name} must lie in {interval}; got {bad.tolist()}")
    if increasing and np.any(np.diff(arr) <= 0):
        raise ValueError(f"{name} must be strictly increasing across doses; got {arr.tolist()}")
    return arr


def positive_int(value: int, name: str, *, minimum: int = 1) -> int:
    """Return ``value`` as an int after checking it is a whole number >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be a whole number >= {minimum}; got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}; got {value}")
    return int(value)


def counts(n: Sequence[int], y: Sequence[int], n_doses: int, *, n_name: str = "n",
           y_name: str = "y") -> tuple[np.ndarray, np.ndarray]:
    """Check patients ``n`` and events ``y`` per dose; return them as int arrays of length ``n_doses``."""
    out = []
    for arr, name in ((n, n_name), (y, y_name)):
        a = np.asarray(arr)
        if a.ndim != 1 or a.size != n_doses:
            raise ValueError(f"{name} must have one count per dose ({n_doses}); got {np.shape(arr)}")
        if not np.issubdtype(a.dtype, np.number) or np.any(a != np.round(a)):
            raise TypeError(f"{name} must hold whole numbers; got {list(arr)}")
        if np.any(a < 0):
            raise ValueError(f"{name} must not be negative; got {list(arr)}")
        out.append(a.astype(np.int64))
    if np.any(out[1] > out[0]):
        raise ValueError(f"{y_name} cannot exceed {n_name} at any dose; got {y_name}={out[1].tolist()}, "
                         f"{n_name}={out[0].tolist()}")
    return out[0], out[1]


def dose(value: int, n_doses: int, name: str = "current") -> int:
    """Check a dose label is a whole number in 1..n_doses (the course numbers doses from 1)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be a dose number 1..{n_doses}; got {value!r}")
    if not 1 <= value <= n_doses:
        raise ValueError(f"{name} must be a dose number 1..{n_doses} (doses are numbered from 1); got {value}")
    return int(value)


def positive(value: float, name: str, *, allow_zero: bool = False) -> float:
    """Return ``value`` as a float after checking it is a finite number > 0 (>= 0 when ``allow_zero``)."""
    if isinstance(value, (bool, str, bytes)):
        raise TypeError(f"{name} must be a number; got {value!r}")
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a number; got {value!r}") from None
    ok = np.isfinite(x) and (x >= 0 if allow_zero else x > 0)
    if not ok:
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be a finite number {bound}; got {value!r}")
    return x


def real_array(values: object, name: str, *, minimum: float | None = None) -> np.ndarray:
    """Return ``values`` (a number or an array of any shape) as a float array of finite numbers >= ``minimum``."""
    try:
        if isinstance(values, (str, bytes, bool)):
            raise TypeError
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a number or an array of numbers; got {values!r}") from None
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must hold finite numbers; got {values!r}")
    if minimum is not None and np.any(arr < minimum):
        raise ValueError(f"{name} must be >= {minimum}; got {arr[arr < minimum].tolist()}")
    return arr
