"""Bibliography styles for the course: BibTeX's ``and others`` is printed as "et al." (written for this course).

In BibTeX, ``author = {Zhu, Hao and others}`` means "Zhu et al."; pybtex and sphinxcontrib-bibtex print the
word "others" literally ("Zhu and others, 2025").  The course cites several papers whose full author list is
not recorded, so both styles used by the book drop the ``others`` person and append "et al.":

* ``course_plain`` (``bibtex_default_style``): the reference list, pybtex's ``plain`` otherwise unchanged;
* ``course_author_year`` (``bibtex_reference_style``): in-text citations, sphinxcontrib-bibtex's
  ``author_year`` otherwise unchanged.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from pybtex.plugin import register_plugin as register_pybtex_plugin
from pybtex.richtext import Tag, Text
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.template import FieldIsMissing, field, first_of, node, optional, sentence, tag
from sphinx.application import Sphinx
from sphinxcontrib.bibtex.plugin import register_plugin
from sphinxcontrib.bibtex.style.referencing import PersonStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle
from sphinxcontrib.bibtex.style.template import join as join_et_al


def split_others(persons: list) -> tuple[list, bool]:
    """The real persons of a role, and whether BibTeX's ``others`` followed them."""
    real = [p for p in persons if str(p).strip().lower() != "others"]
    return real, len(real) < len(persons)


@node
def names_et_al(children, data, role, format_name, sep=", ", sep2=" and ", last_sep=", and ", other=None):
    """Formatted names of ``role``; a trailing ``others`` becomes "et al."."""
    try:
        persons = data["entry"].persons[role]
    except KeyError:
        raise FieldIsMissing(role, data["entry"]) from None
    real, has_others = split_others(persons)
    names = join_et_al(sep=sep, sep2=sep2, last_sep=last_sep, other=other)[[format_name(p) for p in real]]
    text = names.format_data(data)
    already_abbreviated = other is not None and len(real) > 2
    return Text(text, " ", Tag("em", "et al.")) if has_others and not already_abbreviated else text


class CoursePlainStyle(PlainStyle):
    """pybtex's ``plain`` with "et al." for ``and others``."""

    def format_names(self, role, as_sentence=True):
        names = names_et_al(role=role, format_name=lambda p: self.format_name(p, self.abbreviate_names))
        return sentence[names] if as_sentence else names


@dataclass
class CoursePersonStyle(PersonStyle):
    """sphinxcontrib-bibtex's person style with "et al." for ``and others``."""

    def names(self, role: str, full: bool):
        return names_et_al(role=role, format_name=lambda p: self.style_plugin.format(p, self.abbreviate),
                           sep=self.sep, sep2=self.sep2, last_sep=self.last_sep,
                           other=None if full else self.other)

    def author_or_editor_or_title(self, full: bool):
        return first_of[optional[self.names("author", full)], optional[self.names("editor", full)],
                        tag("em")[field("title")]]


@dataclass
class CourseAuthorYearStyle(AuthorYearReferenceStyle):
    person: PersonStyle = dataclasses.field(default_factory=CoursePersonStyle)


def setup(app: Sphinx) -> dict:
    register_pybtex_plugin("pybtex.style.formatting", "course_plain", CoursePlainStyle)
    register_plugin("sphinxcontrib.bibtex.style.referencing", "course_author_year", CourseAuthorYearStyle)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
