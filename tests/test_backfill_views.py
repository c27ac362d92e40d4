"""Tests of dosecourse.backfill_views: scenarios, Table 4, the comparison, response precision, figures, widget.

Sources of the expected numbers:
* Zhao Y, Yuan Y, Korn EL, Freidlin B. Clin Cancer Res 2024;30:673 (doi:10.1158/1078-0432.CCR-23-2585),
  Table 3 (scenarios) and Table 4 (operating characteristics, 10,000 trials), as transcribed in
  tests/reference/published/bfboin_zhao2024_table4.json (the module's copy must match it).
* Clopper-Pearson limits by their definition, P(X >= x | p_lo) = alpha/2 and P(X <= x | p_hi) = alpha/2, with
  scipy.stats.binom (independent of the Beta-quantile formula the module uses).
"""

from __future__ import annotations

import doctest
import json
import warnings
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from matplotlib import pyplot as plt
from scipy.stats import binom

from dosecourse import backfill_views as v
from dosecourse.i18n import LANGS, catalogue, t

matplotlib.use("Agg")

REFERENCE = json.loads((Path(__file__).parent / "reference" / "published" / "bfboin_zhao2024_table4.json")
                       .read_text(encoding="utf-8"))


def test_doctests_pass():
    failures, _ = doctest.testmod(v, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert failures == 0


def _cell(value):
    return None if value is None else float(str(value).split()[0])


def test_scenarios_and_table4_match_the_transcription():
    for key, sc in REFERENCE["scenarios"].items():
        assert v.SCENARIOS[int(key)].true_tox == pytest.approx(sc["DLT"])
        assert v.SCENARIOS[int(key)].true_eff == pytest.approx(sc["Resp"])
    for key, row in REFERENCE["BF_BOIN"].items():
        assert v.TABLE4["bf"][int(key)] == tuple(_cell(x) for x in row)
    for key, row in REFERENCE["BOIN"].items():
        assert v.TABLE4["boin"][int(key)] == tuple(_cell(x) for x in row)
    # BOIN ignores response: scenarios 6-12 repeat the row of the scenario with the same DLT probabilities.
    assert v.TABLE4["boin"][10] == v.TABLE4["boin"][3] and v.TABLE4["boin"][12] == v.TABLE4["boin"][5]
    assert {k: v.SCENARIOS[k].mtd for k in (1, 2, 3, 4, 5, 9)} == {1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 9: 5}
    design = REFERENCE["design"]
    assert (v.PAPER_DESIGN["n_cap_backfill"], v.PAPER_DESIGN["n_earlystop"], v.PAPER_DESIGN["accrual_per_month"]) \
        == (design["n_cap_backfill"], design["n_earlystop"], design["accrual_per_month"])


@pytest.fixture(scope="module")
def s3():
    return v.compare(3, n_trials=2000, seed=11)


def test_compare_agrees_with_table4(s3):
    check = v.agreement(s3)
    assert check["within"].all(), check[~check["within"]]
    assert len(check) == 14  # 7 metrics x 2 designs (scenario 3 has doses below and above the MTD)


def test_per_trial_identities(s3):
    for design in v.DESIGNS:
        tr = s3.trials(design)
        m = v.table4_metrics(tr, s3.scenario)
        assert np.array_equal(m["below"] + m["at"] + m["above"], m["total"])
        assert np.array_equal(m["total"], tr.n.sum(axis=1))
        assert np.all((tr.n - tr.backfilled).sum(axis=1) <= 30)
    assert s3.boin.backfilled.sum() == 0 and s3.bf.backfilled.sum() > 0
    assert np.all(s3.bf.backfilled <= 12)
    assert np.all(s3.bf.backfilled[:, -1] == 0)


def test_scenario_1_has_no_dose_below_the_mtd():
    c = v.compare(1, n_trials=200, seed=5)
    m = v.table4_metrics(c.bf, 1)
    assert m["below"] is None and m["overdose"] is not None
    assert np.isnan(c.mean("bf", "below"))
    assert len(v.agreement(c)) == 12


def test_agreement_needs_paper_settings():
    with pytest.raises(ValueError, match="paper's settings"):
        v.agreement(v.compare(3, n_trials=50, seed=1, n_cap_backfill=18))


@pytest.mark.parametrize("bad", [0, 13, "3", 2.0, True])
def test_unknown_scenario(bad):
    with pytest.raises(ValueError, match="scenario must be one of"):
        v.compare(bad, n_trials=10)


def test_clopper_pearson_by_definition():
    x = np.array([0, 1, 2, 5, 10, 3])
    n = np.array([10, 10, 10, 10, 10, 7])
    lo, hi = v.clopper_pearson(x, n, level=0.90)
    for xi, ni, l, h in zip(x, n, lo, hi):
        if xi > 0:
            assert binom.sf(xi - 1, ni, l) == pytest.approx(0.05, abs=1e-9)
        else:
            assert l == 0
        if xi < ni:
            assert binom.cdf(xi, ni, h) == pytest.approx(0.05, abs=1e-9)
        else:
            assert h == 1
    lo0, hi0 = v.clopper_pearson([0], [0])
    assert (lo0[0], hi0[0]) == (0.0, 1.0)
    with pytest.raises(ValueError, match="level"):
        v.clopper_pearson([1], [3], level=1.5)
    with pytest.raises(ValueError, match="0 <= x <= n"):
        v.clopper_pearson([4], [3])


def test_response_precision(s3):
    p = v.response_precision(s3)
    assert p.patients["bf"].sum() == pytest.approx(s3.mean("bf", "total"))
    assert np.all(p.width["bf"][:3] < p.width["boin"][:3])  # tighter at the cleared doses and the MTD
    assert np.all(p.backfilled["boin"] == 0) and p.backfilled["bf"][-1] == 0
    assert np.all(p.coverage["boin"][:3] >= 0.85)  # Clopper-Pearson is conservative; n independent of response
    # BOIN's naive estimate is unbiased (n depends on DLTs only); BF-BOIN's is biased down at dose 1.
    assert abs(p.estimate["boin"][0] - 0.10) < 0.01 and p.estimate["bf"][0] < 0.085
    for lang in LANGS:
        frame = p.to_frame(lang)
        assert frame.shape == (5, 6) and t("bfv_dose_mtd", lang, d=3) in frame.index


@pytest.mark.parametrize("lang", LANGS)
def test_tables_in_both_languages(lang, s3):
    tab = v.comparison_table([s3], lang)
    assert tab.shape == (4, 7)
    assert tab.iloc[1].tolist() == [x if x is not None else np.nan for x in v.TABLE4["bf"][3]]
    assert list(tab.columns) == [t(f"bfv_metric_{m}", lang) for m in v.METRICS]
    sc = v.scenario_table([2, 3], lang)
    assert sc.shape == (4, 5) and sc.iloc[2].tolist() == list(v.SCENARIOS[3].true_tox)


@pytest.mark.parametrize("lang", LANGS)
def test_figures_draw_without_warnings(lang, s3):
    small = [v.compare(k, n_trials=100, seed=2) for k in (2, 5)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for fig in (v.oc_figure(small + [s3], lang), v.precision_figure(s3, lang),
                    v.widget_figure(s3, lang=lang), v.widget_figure(1, 6, 8.0, n_trials=100, lang=lang)):
            fig.canvas.draw()
            plt.close(fig)
    with pytest.raises(ValueError, match="at least one"):
        v.oc_figure([], lang)


def test_widget_figure_is_fast_enough():
    import time
    start = time.perf_counter()
    plt.close(v.widget_figure(4, 24, 8.0, lang="en"))
    assert time.perf_counter() - start < 2.0


@pytest.mark.parametrize("lang", LANGS)
def test_widget_builds_and_recomputes(lang):
    pytest.importorskip("ipywidgets")
    box = v.widget(lang, n_trials=60)
    scen, cap, rate, _out = box.children
    assert (scen.value, cap.value, rate.value) == (3, 12, 3.0)
    scen.value, cap.value, rate.value = 5, 24, 6.0
    assert len(scen.options) == 12
    plt.close("all")


def test_every_label_of_this_module_has_both_languages():
    ids = [k for k in catalogue() if k.startswith("bfv_")]
    assert ids
    for key in ids:
        assert set(catalogue()[key]) >= set(LANGS), key
        assert key.isascii() and key == key.lower()
