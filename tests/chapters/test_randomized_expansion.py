"""Chapter "Randomized dose expansion": every glued number against its source or a brute-force sum, the figures
and the widget.

The checks are those of the notebook's former hidden cells, with their comments.  ``brute_higher`` is written
independently of the package: it sums the binomial probabilities of every pair of response counts in which the
higher dose beats the lower by more than the margin, comparing the observed rates as exact fractions.
Published numbers (sources in ``dosecourse/data/expansion_cases.json``):
* sotorasib FDA approval summary, Clin Cancer Res 2022;28:1482 (abstract, Table 4);
* Study 211, Brose et al. J Clin Endocrinol Metab 2022;107:776;
* DESTINY-Lung02, Goto et al. J Clin Oncol 2023;41:4852 (ILD rates as reported);
* BOLT, Casey et al. Clin Cancer Res 2017;23:2377; OPTIC, Cortes et al. Blood 2021;138:2042.
"""

from __future__ import annotations

import warnings
from fractions import Fraction

import numpy as np
import pytest
from matplotlib import pyplot as plt
from scipy.stats import binom

from dosecourse import expansion
from dosecourse import expansion_cases as cases
from dosecourse.chapters import randomized_expansion as chapter
from dosecourse.chapters import widgets
from dosecourse.i18n import LANGS, t

N = chapter.numbers()


def brute_higher(p, n, margin):
    """P(the rule moves to dose 2): sum over every pair of response counts, written independently of the package."""
    f1, f2 = binom.pmf(range(n[0] + 1), n[0], p[0]), binom.pmf(range(n[1] + 1), n[1], p[1])
    return sum(f1[a] * f2[b] for a in range(n[0] + 1) for b in range(n[1] + 1)
               if Fraction(b, n[1]) - Fraction(a, n[0]) > Fraction(str(margin)))


def test_glued_values_are_numbers_and_counts_are_ints():
    assert len(N) == 51
    for name, value in N.items():
        assert isinstance(value, (int, float)) and not isinstance(value, bool), name
    for name in ("rde_soto_n", "rde_gen_n80", "rde_len_n1", "rde_len_n80", "rde_dl_n2", "rde_po_n", "rde_po_aoe3",
                 "rde_ex1_n80"):
        assert type(N[name]) is int, name  # the prose prints them without a format: 124, not 124.0


def test_sotorasib_numbers_are_the_published_ones():
    # FDA approval summary (Clin Cancer Res 2022;28:1482): ORR 36% in 124 patients at 960 mg; 25-50% at 180-960 mg;
    # comparison of 960 mg with 240 mg required after approval.
    assert (N["rde_soto_n"], N["rde_soto_orr"], N["rde_soto_hi_mg"], N["rde_soto_cmp_mg"]) == (124, 36.0, 960, 240)
    assert (N["rde_soto_orr_lo"], N["rde_soto_orr_hi"], N["rde_soto_lo_mg"]) == (25.0, 50.0, 180)


def test_generic_example_against_brute_force():
    # The generic example (35% vs 50%, margin 0.10): dose 2 is correct; each PCS checked against a brute-force sum.
    for n in (20, 29, 30, 40):
        assert abs(N[f"rde_gen_pcs{n}"] - brute_higher([0.35, 0.50], (n, n), 0.10)) < 1e-12
    # The saw-tooth: at 29 per arm a 3-responder lead (3/29 = 0.103 > 0.10) moves; at 30 a lead of 3 is a tie (0.10).
    assert N["rde_gen_pcs29"] > N["rde_gen_pcs30"] and 3 / 29 > 0.10 and Fraction(3, 30) == Fraction("0.10")
    # Sample size: PCS >= 0.80 from n = 151 on (searched up to 200); just below at 150.
    assert N["rde_gen_n80"] == 151
    assert brute_higher([0.35, 0.50], (150, 150), 0.10) < 0.80 <= brute_higher([0.35, 0.50], (151, 151), 0.10)
    # Equal rates 36% vs 36%: keep the lower dose unless dose 2 leads by more than 3 responders of 30.
    assert abs(N["rde_equal_lower"] - (1 - brute_higher([0.36, 0.36], (30, 30), 0.10))) < 1e-12


def test_study_211():
    le = cases.case("lenvatinib")
    # Reported: ORR 40.3% (18 mg, 31/77) vs 57.3% (24 mg, 43/75); grade >= 3 TEAEs 57.1% vs 61.3%.
    assert le.rates == (0.403, 0.573) and le.n_per_arm == (77, 75)
    assert (N["rde_len_lo"], N["rde_len_hi"], N["rde_len_n1"], N["rde_len_n2"]) == (100 * 0.403, 100 * 0.573, 77, 75)
    assert N["rde_len_tox_lo"] == pytest.approx(57.1) and N["rde_len_tox_hi"] == pytest.approx(61.3)
    # 57.3 - 40.3 = 17 points > 10: 24 mg (dose 2) is correct; brute force at 77/75 and at 30/30.
    assert expansion.correct_dose(le.rates, 0.10) == 2
    assert abs(N["rde_len_pcs_run"] - brute_higher(le.rates, (77, 75), 0.10)) < 1e-12
    assert abs(N["rde_len_wrong30"] - (1 - brute_higher(le.rates, (30, 30), 0.10))) < 1e-12
    assert 0.3 < N["rde_len_wrong30"] < 0.4
    assert N["rde_len_n80"] == 81 and brute_higher(le.rates, (80, 80), 0.10) < 0.80


def test_destiny_lung02():
    dl = cases.case("trastuzumab_deruxtecan")
    # Reported: 102 / 50 patients, ORR 49.0% vs 56.0%; ILD 12.9% vs 28.0% (as reported).
    assert dl.n_per_arm == (102, 50) and dl.rates == (0.49, 0.56) and dl.safety_rates == (0.129, 0.28)
    assert (N["rde_dl_n1"], N["rde_dl_n2"]) == (102, 50)
    assert N["rde_dl_ild_lo"] == pytest.approx(12.9) and N["rde_dl_ild_hi"] == pytest.approx(28.0)
    # 56.0 - 49.0 = 7 points <= 10: 5.4 mg/kg (dose 1) is correct; PCS = 1 - P(6.4 leads by more than 10 points).
    assert expansion.correct_dose(dl.rates, 0.10) == 1
    assert abs(N["rde_dl_pcs_run"] - (1 - brute_higher(dl.rates, (102, 50), 0.10))) < 1e-12
    assert 0.6 < N["rde_dl_pcs_run"] < 0.7
    assert cases.n_per_arm_needed(dl, 0.10, 0.80) is None and N["rde_dl_pcs200"] < 0.80
    assert abs(N["rde_dl_pcs200"] - (1 - brute_higher(dl.rates, (200, 200), 0.10))) < 1e-12
    # With the guard, moving also needs the ILD excess <= 5 points, whose true value is 15.1: the move becomes rare.
    assert N["rde_dl_guard_run"] > 0.95


def test_sonidegib_and_optic():
    so, po = cases.case("sonidegib"), cases.case("ponatinib")
    # Reported: sonidegib laBCC ORR 58% (200 mg) vs 44% (800 mg); OPTIC 23.1 / 29.0 / 44.1%, AOEs 3 / 5 / 5, 94 per arm.
    assert so.rates == (0.58, 0.44) and po.rates == (0.231, 0.29, 0.441)
    assert [a.safety_count for a in po.arms] == [3, 5, 5] and po.n_per_arm == (94, 94, 94)
    assert [N[f"rde_po_aoe{j}"] for j in (1, 2, 3)] == [3, 5, 5] and N["rde_po_n"] == 94
    assert [N[f"rde_po_r{j}"] for j in (1, 2, 3)] == pytest.approx([23.1, 29.0, 44.1])
    # Sonidegib: the lower dose is correct; at 20 per arm 800 mg must lead by more than 2 responders of 20 although it
    # is truly 14 points worse: brute force.
    assert abs(N["rde_so_pcs20"] - (1 - brute_higher(so.rates, (20, 20), 0.10))) < 1e-12 and N["rde_so_pcs20"] > 0.95
    # OPTIC: 44.1 - 29.0 = 15.1 > 10, so 45 mg (dose 3) is correct; the three-arm value agrees with a seeded simulation.
    assert expansion.correct_dose(po.rates, 0.10) == 3
    po_30 = cases.selection_curve(po, [30], 0.10)[0]
    assert po_30[2] == N["rde_po_pcs30"] and abs(po_30.sum() - 1) < 1e-12
    sim = expansion.simulate_selection(po.rates, 30, 0.10, n_trials=40_000, seed=2024)
    assert abs(sim.probabilities[2] - po_30[2]) < 4 * sim.se[2]
    assert N["rde_po_n80"] == 81 and 0.8 < N["rde_po_pcs_run"] < 0.85


def test_exercise_numbers():
    le, dl = cases.case("lenvatinib"), cases.case("trastuzumab_deruxtecan")
    # Ex 1: with margin 0.05 the 17-point advantage is far above the margin, so fewer patients are needed (27 < 81);
    # the price: with equal rates dose 2 now wins whenever it leads by 2 or more of 30 (2/30 = 0.067 > 0.05).
    len_30_at_10 = cases.selection_curve(le, [30], 0.10)[0][1]
    assert N["rde_ex1_n80"] == 27 and N["rde_ex1_n80"] < N["rde_len_n80"] and N["rde_ex1_pcs30"] > len_30_at_10
    assert abs(N["rde_ex1_pcs30"] - brute_higher(le.rates, (30, 30), 0.05)) < 1e-12
    assert abs(N["rde_ex1_equal05"] - brute_higher([0.36, 0.36], (30, 30), 0.05)) < 1e-12
    assert abs(N["rde_ex1_equal10"] - brute_higher([0.36, 0.36], (30, 30), 0.10)) < 1e-12
    assert N["rde_ex1_equal05"] > 1.9 * N["rde_ex1_equal10"]
    # Ex 2: without the guard, 1 - P(6.4 leads by more than 10 points) at 40 / 20; the guard makes 5.4 mg/kg likely,
    # and a loose 20-point guard (above the true 15.1-point ILD excess) helps much less.
    assert abs(N["rde_ex2_plain"] - (1 - brute_higher(dl.rates, (40, 20), 0.10))) < 1e-12
    assert N["rde_ex2_plain"] < N["rde_ex2_loose"] < N["rde_ex2_guard"] and N["rde_ex2_guard"] > 0.9


# --- figures ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("allocation", [None, (1, 2, 2)])
def test_selection_figure_draws_and_marks_the_correct_dose(lang, allocation):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = chapter.selection_figure([0.25, 0.40, 0.45], range(5, 61, 5), 0.10, lang=lang, allocation=allocation)
        fig.canvas.draw()
    ax = fig.axes[0]
    assert len(ax.get_lines()) == 3
    assert ax.get_lines()[1].get_linewidth() > ax.get_lines()[0].get_linewidth()   # dose 2 is correct
    heights = np.array([line.get_ydata() for line in ax.get_lines()])
    assert heights.sum(axis=0) == pytest.approx(np.ones(12))
    texts = [a.get_text() for a in fig.findobj(lambda a: hasattr(a, "get_text"))]
    assert not any("{" in s for s in texts)
    if allocation is not None:
        assert "1:2:2" in ax.get_xlabel()
    plt.close(fig)


@pytest.mark.parametrize("lang", LANGS)
def test_cases_figure_draws_every_case(lang):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = chapter.cases_figure(0.10, lang=lang)
        fig.canvas.draw()
    ax = fig.axes[0]
    assert ax.get_ylabel() == t("rdv_cases_axis_pcs", lang)
    # one line and one diamond per case, plus the legend's diamond
    assert len(ax.get_lines()) == 2 * len(cases.CASES) + 1
    diamond = ax.get_lines()[3]  # the second case's diamond (sonidegib) is the PCS at its own arm sizes
    assert diamond.get_ydata()[0] == pytest.approx(cases.pcs_as_run("sonidegib", 0.10))
    plt.close(fig)


def test_figures_refuse_bad_input_with_the_science_messages():
    with pytest.raises(ValueError, match="p must give 2 or 3 doses"):
        chapter.selection_figure([0.3], range(5, 10), 0.1)
    with pytest.raises(ValueError, match="lang"):
        chapter.cases_figure(0.1, lang="fr")
    with pytest.raises(ValueError, match="key must be one of"):
        chapter.cases_figure(0.1, keys=["aspirin"])


# --- widget -------------------------------------------------------------------------------------------------------

def _figure_states(widget):
    out = 0
    for part in widget.parts:
        if part.alt is not None:  # the figure part
            out += int(np.prod([len(widget.control(d).values) for d in part.depends]))
    return out


def test_widget_fits_the_site_budget_and_every_control_matters():
    w = chapter.widget
    assert _figure_states(w) <= 60 and w.n_states <= widgets.MAX_STATES
    assert _figure_states(w) == 25 and w.n_states == 175
    assert w.defaults == {"rates": (0.35, 0.50), "margin": 0.10, "n_per_arm": 30}
    assert (0.403, 0.573) in w.control("rates").values   # Study 211 as reported, read from the data file


@pytest.mark.parametrize("lang", LANGS)
def test_widget_summary_follows_the_exact_probabilities(lang):
    w = chapter.widget
    text = w.render(0, lang, w.defaults).data
    assert "0.606" in text and "0.394" in text   # 35% vs 50%, margin 0.10, 30 per arm
    three = w.render(0, lang, {"rates": (0.30, 0.45, 0.47), "margin": 0.10, "n_per_arm": 60}).data
    probs = expansion.selection_probabilities([0.30, 0.45, 0.47], 60, 0.10)
    assert all(f"{q:.3f}" in three for q in probs)
    # The margin slider's binary floats are read at their two shown decimals: 0.1 + 0.2 - 0.2 keeps the tie rule.
    odd = w.render(0, lang, {"rates": (0.35, 0.45), "margin": 0.1 + 0.2 - 0.2, "n_per_arm": 20}).data
    assert f"{expansion.selection_probabilities([0.35, 0.45], 20, 0.10)[1]:.3f}" in odd


@pytest.mark.parametrize("lang", LANGS)
def test_widget_figure_and_alt_text(lang):
    w = chapter.widget
    values = {"rates": (0.30, 0.45, 0.47), "margin": 0.05, "n_per_arm": 30}
    fig = w.render(1, lang, values)
    assert len(fig.axes[0].get_lines()) == 3
    curve = expansion.selection_curve([0.30, 0.45, 0.47], chapter.WIDGET_N_GRID, 0.05)
    assert fig.axes[0].get_lines()[2].get_ydata() == pytest.approx(curve[:, 2])
    plt.close(fig)
    alt = w.alt_text(1, lang, values)
    right = expansion.correct_dose([0.30, 0.45, 0.47], 0.05)
    # 47 - 45 = 2 points <= 0.05: the middle dose is correct; 30 per arm is row 28 of 2..100
    assert right == 2 and f"{curve[28, 1]:.2f}" in alt and "47%" in alt


def test_widget_draws_a_live_setting_off_the_site_grid():
    # A live (Jupyter) setting that the site never precomputes still draws (its speed: benchmarks/bench_widgets.py).
    w = chapter.widget
    values = {"rates": (0.36, 0.36), "margin": 0.15, "n_per_arm": 77}
    for index in range(len(w.parts)):
        shown = w.render(index, "en", values)
        assert shown is not None
        if hasattr(shown, "canvas"):
            shown.canvas.draw()
            plt.close(shown)
