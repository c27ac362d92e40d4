"""numpydoc validation of the public API: every public function, class and method is documented, and every
parameter its signature has is described (and none it does not have)."""

from __future__ import annotations

import inspect

import pytest
from numpydoc.validate import validate
from public_api import objects

CHECKS = {
    "GL08": "the object has no docstring",
    "SS01": "no summary line",
    "PR01": "a parameter is not documented",
    "PR02": "a documented parameter does not exist",
}
"""numpydoc error codes enforced (https://numpydoc.readthedocs.io/en/latest/validation.html)."""


def _import_path(name: str, obj: object) -> str:
    return f"{obj.__module__}.{obj.__qualname__}" if hasattr(obj, "__qualname__") else name


PUBLIC = sorted(objects(), key=lambda item: item[0])


def test_the_public_api_is_found():
    names = {name for name, _ in PUBLIC}
    assert "dosecourse.escalation.design.Design.next_dose" in names
    assert "dosecourse.chapters.widgets.LiveWidget" in names
    assert len(names) > 300


@pytest.mark.parametrize("name, obj", PUBLIC, ids=[n for n, _ in PUBLIC])
def test_public_object_has_a_numpydoc_docstring(name, obj):
    if isinstance(obj, property):
        assert inspect.getdoc(obj), f"{name}: property without a docstring"
        return
    result = validate(_import_path(name, obj))
    errors = [(code, message) for code, message in result["errors"] if code in CHECKS]
    assert not errors, f"{name}: " + "; ".join(f"{code} {message}" for code, message in errors)
