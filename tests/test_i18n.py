"""The label catalogue: every id in both languages, Traditional characters only, clear errors."""

import re

import pytest
from booktools import SIMPLIFIED_ONLY

from dosecourse import i18n


def test_every_label_has_both_languages_and_nothing_else():
    for key, texts in i18n.catalogue().items():
        assert set(texts) == set(i18n.LANGS), f"label {key!r} has languages {sorted(texts)}"
        assert all(isinstance(v, str) and v.strip() for v in texts.values()), f"label {key!r} has an empty text"


def test_label_ids_are_ascii():
    bad = [k for k in i18n.catalogue() if not re.fullmatch(r"[a-z0-9_]+", k)]
    assert not bad, f"label ids must be lowercase ASCII with underscores: {bad}"


def test_chinese_labels_use_traditional_characters():
    found = {k: sorted(set(v["zh-tw"]) & SIMPLIFIED_ONLY) for k, v in i18n.catalogue().items()}
    assert not {k: v for k, v in found.items() if v}


def test_placeholders_match_between_languages():
    fields = re.compile(r"\{(\w*)[^}]*\}")
    for key, texts in i18n.catalogue().items():
        assert set(fields.findall(texts["en"])) == set(fields.findall(texts["zh-tw"])), key


def test_lookup_and_language_aliases():
    assert i18n.t("dose", "zh-tw") == "劑量"
    assert i18n.t("dose", "zh_TW") == "劑量"
    assert i18n.t("dose") == "Dose"


def test_bad_language_and_missing_key_are_clear():
    with pytest.raises(ValueError, match="lang must be one of"):
        i18n.t("dose", "fr")
    with pytest.raises(KeyError, match="no label 'no_such_label'"):
        i18n.t("no_such_label", "en")
