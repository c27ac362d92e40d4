"""The public API of dosecourse, enumerated (shared by the docstring and bad-input contract tests; not a test).

Every module under ``dosecourse`` whose name has no leading underscore is imported; its public objects are the
functions and classes *defined* in it (not re-exported) whose names have no leading underscore, and the public
methods and properties of those classes.  Modules added later are covered without touching this file.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from types import ModuleType

import dosecourse


def modules() -> list[ModuleType]:
    """Every public module of the package, imported."""
    found = [dosecourse]
    for info in pkgutil.walk_packages(dosecourse.__path__, prefix="dosecourse."):
        if any(part.startswith("_") for part in info.name.split(".")):
            continue
        found.append(importlib.import_module(info.name))
    return found


def objects() -> Iterator[tuple[str, object]]:
    """``(qualified name, object)`` of every public function, class, method and property."""
    for module in modules():
        for name, obj in vars(module).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
                continue
            if inspect.isfunction(obj):
                yield f"{module.__name__}.{name}", obj
            elif inspect.isclass(obj):
                yield f"{module.__name__}.{name}", obj
                for attr, member in vars(obj).items():
                    if attr.startswith("_"):
                        continue
                    if inspect.isfunction(member) or isinstance(member, property):
                        yield f"{module.__name__}.{name}.{attr}", member
                    elif isinstance(member, (classmethod, staticmethod)):
                        yield f"{module.__name__}.{name}.{attr}", member.__func__
