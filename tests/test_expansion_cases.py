"""Tests of dosecourse.expansion_cases (published randomized dose comparisons) and its data file.

Sources of the expected numbers (full citations in ``dosecourse/data/expansion_cases.json``, which the module and
these tests read with ``dosecourse.data.load``; no second copy is kept here beyond the numbers typed from the
sources below, which the tests compare with the file):
* DESTINY-Lung02, Goto et al. J Clin Oncol 2023;41:4852 (abstract and sponsor release of the primary
  analysis): 2:1 randomization, 102 / 50 patients, confirmed ORR 49.0% / 56.0%; adjudicated drug-related ILD
  12.9% / 28.0% in 101 / 50 (as reported, not confirmed from the primary text).
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

import re
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from scipy.stats import binom

from dosecourse import data, expansion
from dosecourse import expansion_cases as cases
from dosecourse.i18n import LANGS, t

RAW = data.load(cases.DATA_FILE)


def brute_two_arm(p, n, margin):
    """P(rule picks the higher of two doses), by enumerating every pair of response counts."""
    m = Fraction(str(margin))
    f1, f2 = binom.pmf(np.arange(n[0] + 1), n[0], p[0]), binom.pmf(np.arange(n[1] + 1), n[1], p[1])
    return sum(f1[x1] * f2[x2] for x1 in range(n[0] + 1) for x2 in range(n[1] + 1)
               if Fraction(x2, n[1]) - Fraction(x1, n[0]) > m)


# --- the data file ------------------------------------------------------------------------------------------------

def test_reported_numbers_are_stored_as_published():
    dl = cases.case("trastuzumab deruxtecan")
    assert dl.n_per_arm == (102, 50) and dl.rates == (0.490, 0.560) and dl.safety_rates == (0.129, 0.280)
    assert [a.safety_n for a in dl.arms] == [101, 50]
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
    assert po.safety_rates == (3 / 94, 5 / 94, 5 / 94)  # the rate of a count is the count over the arm
    assert cases.SOTORASIB.orr == 0.36 and cases.SOTORASIB.n == 124
    assert (cases.SOTORASIB.approved_dose_mg, cases.SOTORASIB.comparison_dose_mg) == (960, 240)
    assert cases.SOTORASIB.escalation_orr_range == (0.25, 0.50)
    assert cases.SOTORASIB.escalation_dose_range_mg == (180, 960)
    assert [c.carried_forward for c in cases.CASES.values()] == [1, 1, 2, 3]
    assert [c.verified for c in cases.CASES.values()] == [False, True, True, True]


def test_the_module_holds_what_the_data_file_holds():
    assert list(cases.CASES) == list(RAW["cases"])
    for key, entry in RAW["cases"].items():
        c = cases.CASES[key]
        assert (c.drug, c.trial, c.citation, c.source, c.carried_forward) == (
            entry["drug"], entry["trial"], entry["citation"], entry["source"], entry["carried_forward"])
        assert c.rates == tuple(a["response_rate"] for a in entry["arms"])
        assert c.n_per_arm == tuple(a["n"] for a in entry["arms"])
        assert [a.reported for a in c.arms] == [tuple(a.get("reported", ())) for a in entry["arms"]]
    assert cases.SOTORASIB.source == RAW["single_dose_approvals"]["sotorasib"]["source"]


def test_every_entry_has_a_full_source_matching_the_bibliography():
    bib = (Path(__file__).parents[1] / "book" / "references.bib").read_text(encoding="utf-8")
    assert RAW["source"] and "reported" in RAW["source"]
    entries = [*RAW["cases"].values(), *RAW["single_dose_approvals"].values()]
    for entry in entries:
        source, key = entry["source"], entry["citation"]
        match = re.search(r"@\w+\{" + re.escape(key) + r",(.*?)\n\}", bib, flags=re.S)
        assert match, f"{key} is not in book/references.bib"
        body = match.group(1)
        doi = re.search(r"doi\s*=\s*\{([^}]*)\}", body)
        if doi:  # the DOI of the bibliography, and its PMID when it gives one
            assert f"doi:{doi.group(1)}" in source, key
        else:  # no DOI confirmed: the publisher's address instead
            assert re.search(r"url\s*=\s*\{([^}]*)\}", body).group(1) in source, key
        pmid = re.search(r"PMID: (\d+)", body)
        if pmid:
            assert f"PMID {pmid.group(1)}" in source, key
        assert re.search(r"\b(19|20)\d\d;\d+", source), key  # year;volume


def test_unconfirmed_numbers_are_marked_reported():
    # The DESTINY-Lung02 ILD rates and safety set were not confirmed from the primary text: marked "reported".
    marked = {(key, i): tuple(a.get("reported", ())) for key, entry in RAW["cases"].items()
              for i, a in enumerate(entry["arms"]) if a.get("reported")}
    assert marked == {("trastuzumab_deruxtecan", 0): ("safety_rate", "safety_n"),
                      ("trastuzumab_deruxtecan", 1): ("safety_rate", "safety_n")}
    # The only derived number: 128 patients at 800 mg = 194 laBCC - 66 at 200 mg.
    derived = {(key, i): a["derived"] for key, entry in RAW["cases"].items()
               for i, a in enumerate(entry["arms"]) if "derived" in a}
    assert list(derived) == [("sonidegib", 1)] and "194" in derived[("sonidegib", 1)]["n"]


# --- lookups and tables -------------------------------------------------------------------------------------------

def test_case_lookup_is_forgiving_and_clear():
    assert cases.case("Trastuzumab-Deruxtecan") is cases.CASES["trastuzumab_deruxtecan"]
    assert cases.case(cases.CASES["sonidegib"]) is cases.CASES["sonidegib"]
    with pytest.raises(ValueError, match="key must be one of .*lenvatinib"):
        cases.case("aspirin")
    with pytest.raises(TypeError, match="key"):
        cases.case(3)


@pytest.mark.parametrize("lang", LANGS)
def test_cases_table_has_one_row_per_arm(lang):
    tab = cases.cases_table(lang)
    assert len(tab) == sum(len(c.arms) for c in cases.CASES.values())
    assert tab[t("rdc_col_rate", lang)].tolist()[:2] == [49.0, 56.0]
    outcome = tab[t("rdc_col_outcome", lang)]
    assert (outcome != "").sum() == len(cases.CASES)
    for c in cases.CASES.values():
        assert c.endpoint(lang) and c.outcome(lang)


# --- the rule on the cases ----------------------------------------------------------------------------------------

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
    direct = expansion.selection_probabilities(dl.rates, 30, 0.10, p_tox=dl.safety_rates, tox_margin=0.05)
    assert np.array_equal(guard, direct)
    with pytest.raises(ValueError, match="tox_margin: the sonidegib case records no safety rate"):
        cases.selection_curve("sonidegib", [30], 0.10, tox_margin=0.05)


def test_sample_size_and_unreachable_target():
    res = cases.n_per_arm_needed("lenvatinib", 0.10, 0.80)
    assert res.correct == 2 and res.pcs >= 0.80
    assert cases.selection_curve("lenvatinib", [res.n - 1], 0.10)[0][1] < 0.80
    assert cases.n_per_arm_needed("trastuzumab_deruxtecan", 0.10, 0.80, n_max=120) is None
    assert cases.n_per_arm_needed("sonidegib", 0.10, 0.80).n <= 10
    with pytest.raises(ValueError, match="target_pcs"):   # a bad argument is still an error, not None
        cases.n_per_arm_needed("lenvatinib", 0.10, 1.5)


def test_selection_by_n_matches_expansion_table():
    tab = cases.selection_by_n("trastuzumab_deruxtecan", [20, 40], 0.10, "zh-tw", allocation=(2, 1))
    assert tab.iloc[:, 0].tolist() == ["40/20", "80/40"]
    direct = expansion.selection_table([0.49, 0.56], [20, 40], 0.10, "zh-tw", allocation=(2, 1))
    assert tab.equals(direct)
    curve = cases.selection_curve("trastuzumab_deruxtecan", [20, 40], 0.10, allocation=(2, 1))
    assert np.array_equal(tab.iloc[:, 2:4].to_numpy(), curve)


# --- bad input ----------------------------------------------------------------------------------------------------

ARM = dict(dose="10 mg", n=20, response_rate=0.3)


@pytest.mark.parametrize("call, error, match", [
    (lambda: cases.Arm(**{**ARM, "n": 0}), ValueError, "n must be"),
    (lambda: cases.Arm(**{**ARM, "n": 2.5}), TypeError, "n must be"),
    (lambda: cases.Arm(**{**ARM, "response_rate": 1.2}), ValueError, "response_rate"),
    (lambda: cases.Arm(**{**ARM, "dose": ""}), ValueError, "dose"),
    (lambda: cases.Arm(**{**ARM, "dose": 10}), TypeError, "dose"),
    (lambda: cases.Arm(**ARM, safety_rate=-0.1), ValueError, "safety_rate"),
    (lambda: cases.Arm(**ARM, safety_count=21), ValueError, "safety_count"),
    (lambda: cases.Arm(**ARM, safety_count=2, safety_rate=0.5), ValueError, "disagrees with safety_count"),
    (lambda: cases.Arm(**ARM, reported=("orr",)), ValueError, "reported must be one of"),
    (lambda: cases.Arm(**ARM, reported="n"), TypeError, "reported"),
    (lambda: cases.PublishedCase("x y", "d", "t", (cases.Arm(**ARM),) * 2, 1, "k"), ValueError, "key"),
    (lambda: cases.PublishedCase("x", "d", "t", (cases.Arm(**ARM),), 1, "k"), ValueError, "arms must give 2 or 3"),
    (lambda: cases.PublishedCase("x", "d", "t", (ARM, ARM), 1, "k"), TypeError, "arms must be a Arm"),
    (lambda: cases.PublishedCase("x", "d", "t", (cases.Arm(**ARM),) * 2, 3, "k"), ValueError, "carried_forward"),
    (lambda: cases.SingleDoseApproval("d", 240, 960, 0.3, 10, (0.1, 0.2), (10, 20), "k"), ValueError,
     "comparison_dose_mg"),
    (lambda: cases.SingleDoseApproval("d", 960, 240, 0.3, 10, (0.3, 0.2), (10, 20), "k"), ValueError,
     "escalation_orr_range"),
    (lambda: cases.SingleDoseApproval("d", 960, 240, 0.3, 10, (0.1, 0.2), (20, 10), "k"), ValueError,
     "escalation_dose_range_mg"),
    (lambda: cases.cases_table("en", keys="lenvatinib"), TypeError, "keys"),
    (lambda: cases.cases_table("en", keys=[]), ValueError, "keys"),
    (lambda: cases.cases_table("fr"), ValueError, "lang"),
    (lambda: cases.selection_curve("lenvatinib", [0], 0.1), ValueError, "n_grid"),
    (lambda: cases.pcs_as_run("lenvatinib", -0.1), ValueError, "margin"),
    (lambda: cases.selection_by_n("lenvatinib", [10], 0.1, correct="best"), ValueError, "correct"),
])
def test_bad_input_is_refused_with_a_clear_message(call, error, match):
    with pytest.raises(error, match=match):
        call()
