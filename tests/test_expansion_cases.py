"""Tests of dosecourse.expansion_cases (published randomized dose comparisons) and dosecourse.expansion_views.

Sources of the expected numbers:
* DESTINY-Lung02, Goto et al. J Clin Oncol 2023;41:4852 (abstract and sponsor release of the primary
  analysis): 2:1 randomization, 102 / 50 patients, confirmed ORR 49.0% / 56.0%; adjudicated drug-related ILD
  12.9% / 28.0% (as reported).
* Sonidegib FDA approval summary, Casey et al. Clin Cancer Res 2017;23:2377: laBCC ORR 58% (n = 66) at 200 mg,
  44% at 800 mg; 194 laBCC patients in all.
* Lenvatinib Study 211, Brose et al. J Clin Endocrinol Metab 2022;107:776: ORR by week 24 40.3% (18 mg) vs
  57.3% (24 mg); grade >= 3 TEAEs 57.1% vs 61.3%; arms of 77 and 75.
* OPTIC, Cortes et al. Blood 2021;138:2042: 94 per arm; response 23.1% / 29.0% / 44.1% (15 / 30 / 45 mg);
  grade >= 3 arterial occlusive events in 3 / 5 / 5 patients.
* Sotorasib FDA approval summary, Clin Cancer Res 2022;28:1482: ORR 36% (n = 124) at 960 mg; 25-50% across
  180-960 mg; 960 vs 240 mg comparison required.
Selection probabilities are checked against a brute-force double sum over binomial outcomes written here.
"""

from __future__ import annotations

import doctest
import warnings
from fractions import Fraction

import matplotlib
import numpy as np
import pytest
from matplotlib import pyplot as plt
from scipy.stats import binom

from dosecourse import expansion, expansion_cases as cases, expansion_views as views
from dosecourse.i18n import LANGS, catalogue, t

matplotlib.use("Agg")


def brute_two_arm(p, n, margin):
    """P(rule picks the higher of two doses), by enumerating every pair of response counts."""
    m = Fraction(str(margin))
    f1, f2 = binom.pmf(np.arange(n[0] + 1), n[0], p[0]), binom.pmf(np.arange(n[1] + 1), n[1], p[1])
    return sum(f1[x1] * f2[x2] for x1 in range(n[0] + 1) for x2 in range(n[1] + 1)
               if Fraction(x2, n[1]) - Fraction(x1, n[0]) > m)


@pytest.mark.parametrize("module", [cases, views])
def test_doctests_pass(module):
    failures, _ = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert failures == 0


def test_reported_numbers_are_stored_as_published():
    dl = cases.case("trastuzumab deruxtecan")
    assert dl.n_per_arm == (102, 50) and dl.rates == (0.490, 0.560) and dl.safety_rates == (0.129, 0.280)
    assert dl.carried_forward == 1 and not dl.verified  # ILD rates only as reported
    so = cases.case("sonidegib")
    assert so.rates == (0.58, 0.44) and so.n_per_arm[0] == 66 and sum(so.n_per_arm) == 194
    le = cases.case("lenvatinib")
    assert le.rates == (0.403, 0.573) and le.n_per_arm == (77, 75) and le.safety_rates == (0.571, 0.613)
    # 31/77 = 40.3% and 43/75 = 57.3%: the arm sizes agree with the reported rates.
    assert round(31 / 77, 3) == 0.403 and round(43 / 75, 3) == 0.573
    po = cases.case("ponatinib")
    assert po.doses == ("15 mg", "30 mg", "45 mg") and po.n_per_arm == (94, 94, 94)
    assert po.rates == (0.231, 0.290, 0.441) and [a.safety_count for a in po.arms] == [3, 5, 5]
    assert cases.SOTORASIB.orr == 0.36 and cases.SOTORASIB.n == 124
    assert (cases.SOTORASIB.approved_dose_mg, cases.SOTORASIB.comparison_dose_mg) == (960, 240)
    for c in cases.CASES.values():
        assert list(c.rates) and all(0 < r < 1 for r in c.rates)
        assert 1 <= c.carried_forward <= len(c.arms)


def test_case_lookup_is_forgiving_and_clear():
    assert cases.case("Trastuzumab-Deruxtecan") is cases.CASES["trastuzumab_deruxtecan"]
    assert cases.case(cases.CASES["sonidegib"]) is cases.CASES["sonidegib"]
    with pytest.raises(ValueError, match="choose one of"):
        cases.case("aspirin")
    with pytest.raises(TypeError):
        cases.case(3)


@pytest.mark.parametrize("lang", LANGS)
def test_cases_table_has_one_row_per_arm(lang):
    tab = cases.cases_table(lang)
    assert len(tab) == sum(len(c.arms) for c in cases.CASES.values())
    assert tab[t("rdc_col_rate", lang)].tolist()[:2] == [49.0, 56.0]
    outcome = tab[t("rdc_col_outcome", lang)]
    assert (outcome != "").sum() == len(cases.CASES)


@pytest.mark.parametrize("key, n", [("lenvatinib", 30), ("trastuzumab_deruxtecan", 40), ("sonidegib", 25)])
def test_two_arm_probabilities_match_brute_force(key, n):
    c = cases.case(key)
    curve = cases.selection_curve(c, [n], 0.10)[0]
    assert curve[1] == pytest.approx(brute_two_arm(c.rates, (n, n), 0.10), abs=1e-12)
    assert curve.sum() == pytest.approx(1.0)


def test_as_run_uses_the_trials_own_arm_sizes():
    le = cases.case("lenvatinib")
    assert cases.pcs_as_run(le, 0.10) == pytest.approx(brute_two_arm(le.rates, (77, 75), 0.10), abs=1e-12)
    dl = cases.case("trastuzumab_deruxtecan")
    # correct dose 5.4 mg/kg (56.0 - 49.0 = 7 points <= 10): PCS = 1 - P(6.4 beats 5.4 by more than 10 points)
    assert cases.pcs_as_run(dl, 0.10) == pytest.approx(1 - brute_two_arm(dl.rates, (102, 50), 0.10), abs=1e-12)


def test_three_arm_case_agrees_with_simulation():
    po = cases.case("ponatinib")
    exact = cases.selection_curve(po, [40], 0.10)[0]
    sim = expansion.simulate_selection(po.rates, 40, 0.10, n_trials=40_000, seed=7)
    assert np.all(np.abs(sim.probabilities - exact) < 4 * sim.se + 1e-9)


def test_toxicity_guard_reads_the_safety_rates():
    dl = cases.case("trastuzumab_deruxtecan")
    no_guard = cases.selection_curve(dl, [30], 0.10)[0]
    guard = cases.selection_curve(dl, [30], 0.10, tox_margin=0.05)[0]
    assert guard[0] > no_guard[0]  # ILD 28.0% vs 12.9% blocks the move to 6.4 mg/kg
    with pytest.raises(ValueError, match="no safety rate"):
        cases.selection_curve("sonidegib", [30], 0.10, tox_margin=0.05)


def test_sample_size_and_unreachable_target():
    res = cases.n_per_arm_needed("lenvatinib", 0.10, 0.80)
    assert res.correct == 2 and res.pcs >= 0.80
    assert cases.selection_curve("lenvatinib", [res.n - 1], 0.10)[0][1] < 0.80
    assert cases.n_per_arm_needed("trastuzumab_deruxtecan", 0.10, 0.80, n_max=120) is None
    assert cases.n_per_arm_needed("sonidegib", 0.10, 0.80).n <= 10


def test_selection_by_n_matches_expansion_table():
    tab = cases.selection_by_n("trastuzumab_deruxtecan", [20, 40], 0.10, "zh-tw", allocation=(2, 1))
    assert tab.iloc[:, 0].tolist() == ["40/20", "80/40"]
    direct = expansion.selection_table([0.49, 0.56], [20, 40], 0.10, "zh-tw", allocation=(2, 1))
    assert tab.equals(direct)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("p", [(0.35, 0.50), (0.25, 0.35, 0.40), (0.40, 0.40)])
def test_view_figure_draws_without_warnings(lang, p):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = views.selection_view_figure(p, 25, 0.10, lang)
        fig.canvas.draw()
    assert len(fig.axes[1].patches) == len(p)
    heights = [b.get_height() for b in fig.axes[1].patches]
    assert sum(heights) == pytest.approx(1.0)
    plt.close(fig)


@pytest.mark.parametrize("lang", LANGS)
def test_cases_figure_draws_without_warnings(lang):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = views.cases_figure(0.10, lang)
        fig.canvas.draw()
    assert fig.axes[0].get_ylabel() == t("rdv_cases_axis_pcs", lang)
    plt.close(fig)


@pytest.mark.parametrize("lang", LANGS)
def test_widget_builds_and_recomputes(lang):
    pytest.importorskip("ipywidgets")
    box = views.widget(lang)
    controls, text, _out = box.children
    n_doses, margin, n = controls.children[0].children
    r1, r2, r3 = controls.children[1].children
    assert "0.606" in text.value and r3.layout.display == "none"
    n.value = 31  # 0.35 vs 0.50, margin 0.10: the correct-selection probability changes with n
    expected = expansion.probability_correct_selection([0.35, 0.50], 31, 0.10)
    assert f"{expected:.3f}" in text.value
    n_doses.value = 3
    assert r3.layout.display == ""
    expected3 = expansion.probability_correct_selection([0.35, 0.50, 0.52], 31, 0.10)
    assert f"{expected3:.3f}" in text.value
    plt.close("all")


def test_every_label_of_these_modules_has_both_languages():
    ids = [k for k in catalogue() if k.startswith(("rdc_", "rdv_"))]
    assert ids
    for key in ids:
        assert set(catalogue()[key]) >= set(LANGS), key
    for c in cases.CASES.values():
        assert c.endpoint("zh-tw") and c.outcome("zh-tw")
