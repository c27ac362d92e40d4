"""One catalogue of user-facing labels, in English and Traditional Chinese (Taiwan usage).

Labels live in ``dosecourse/labels/*.toml`` (science modules) and ``dosecourse/labels/chapters/*.toml`` (one file
per chapter module), each entry a table keyed by an ASCII id
with one string per language::

    [escalate]
    en = "Escalate"
    zh-tw = "升高劑量"

Plots, tables, widgets and design descriptions look their text up here, so a figure, a table or a widget
speaks the reader's language.  Strings may hold ``str.format`` fields (``{n}``), filled by :func:`t`.
The test suite fails on any id missing a language and on ids defined twice.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

LANGS: tuple[str, ...] = ("en", "zh-tw")
"""The languages of the course, as used in ``lang=`` arguments."""

_LABEL_DIR = Path(__file__).with_name("labels")


def check_lang(lang: str) -> str:
    """Return ``lang`` normalised to one of :data:`LANGS`, or raise a clear error.

    ``"zh"``, ``"zh_TW"`` and ``"zh-Hant-TW"`` are accepted as Traditional Chinese.

    Parameters
    ----------
    lang : str
        Language code, case-insensitive, ``_`` or ``-`` as separator: ``"en"`` (also ``"en-US"``,
        ``"en-GB"``) or Traditional Chinese (``"zh-tw"``, ``"zh"``, ``"zh-Hant"``, ``"zh-Hant-TW"``).

    Returns
    -------
    str
        ``"en"`` or ``"zh-tw"``.

    Raises
    ------
    TypeError
        If ``lang`` is not a string.
    ValueError
        If ``lang`` is not one of the accepted codes.
    """
    if not isinstance(lang, str):
        raise TypeError(f"lang must be a string, one of {LANGS}; got {lang!r}")
    key = lang.strip().lower().replace("_", "-")
    if key in ("zh", "zh-tw", "zh-hant", "zh-hant-tw"):
        return "zh-tw"
    if key in ("en", "en-us", "en-gb"):
        return "en"
    raise ValueError(f"lang must be one of {LANGS}; got {lang!r}")


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    """All labels, ``{id: {lang: text}}``, read once from ``labels/**/*.toml``.

    Raises
    ------
    ValueError
        If an id is defined in two files.
    """
    merged: dict[str, dict[str, str]] = {}
    for path in sorted(_LABEL_DIR.rglob("*.toml")):
        with path.open("rb") as fh:
            entries = tomllib.load(fh)
        for key, texts in entries.items():
            if key in merged:
                raise ValueError(f"label id {key!r} in {path.name} is already defined in another file")
            merged[key] = dict(texts)
    return merged


class _UnknownLabel(KeyError, ValueError):
    """A label id that no labels file defines: a KeyError (a failed look-up) and a ValueError (a bad argument)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def t(key: str, lang: str = "en", **fields: object) -> str:
    """Look up label ``key`` in language ``lang`` and fill its ``{fields}``.

    Parameters
    ----------
    key : str
        Label id, as in ``labels/*.toml``.
    lang : {"en", "zh-tw"}
        Reader's language.
    **fields
        Values for ``str.format`` placeholders in the label.

    Examples
    --------
    >>> t("dose", "zh-tw")
    '劑量'
    """
    lang = check_lang(lang)
    if not isinstance(key, str):
        raise TypeError(f"key must be a label id (a string); got {key!r}")
    try:
        text = catalogue()[key][lang]
    except KeyError:
        raise _UnknownLabel(f"key: no label {key!r} in language {lang!r}; add it to dosecourse/labels/**/*.toml"
                            ) from None
    return text.format(**fields) if fields else text
