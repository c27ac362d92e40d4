"""Tests of dosecourse.simulation_check: exact operating characteristics against simulation, with z-scores.

Checks: the z-scores of hand-made OperatingCharacteristics (binomial standard error at the exact value for
probabilities, the simulation's own standard error for means), and the agreement of every design with exact
results against 20,000 simulated trials (seed 3, fixed in advance) within 4.5 standard errors.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from dosecourse import escalation as esc
from dosecourse import simulation_check as sc
from dosecourse.i18n import LANGS, t

MID = (0.05, 0.12, 0.30, 0.45, 0.60)


def oc(selection, none, patients, *, n_trials=None, patients_se=None, total_n_se=0.0):
    return esc.OperatingCharacteristics(design="toy", true_tox=np.array([0.2, 0.4]), selection=np.array(selection),
                                        no_selection=none, patients=np.array(patients), dlts=np.zeros(2),
                                        total_n=float(sum(patients)), stopped=none, n_trials=n_trials,
                                        patients_se=None if patients_se is None else np.array(patients_se),
                                        total_n_se=total_n_se)


def test_z_scores_by_hand():
    exact = oc([0.5, 0.4], 0.1, [3.0, 2.0])
    sim = oc([0.52, 0.37, ], 0.11, [3.2, 2.0], n_trials=100, patients_se=[0.1, 0.0], total_n_se=0.05)
    table = sc.agreement(exact, sim)
    assert list(table.columns) == list(sc.COLUMNS) and len(table) == 2 + 1 + 2 + 1
    # P(select dose 1): se = sqrt(0.5 x 0.5 / 100) = 0.05, z = 0.02 / 0.05 = 0.4
    assert table.loc[0, "se"] == pytest.approx(0.05) and table.loc[0, "z"] == pytest.approx(0.4)
    assert table.loc[2, "se"] == pytest.approx(math.sqrt(0.09 / 100))
    # mean patients at dose 1: the simulation's own se 0.1, z = 2; at dose 2 equal with se 0: z = 0
    assert table.loc[3, "z"] == pytest.approx(2.0) and table.loc[4, "z"] == 0.0
    # mean N: 5.2 against 5.0 with se 0.05
    assert table.loc[5, "z"] == pytest.approx(4.0)
    # a quantity that differs with se 0 (never seen in the simulation): NaN, not a silent 0 or infinity
    rare = sc.agreement(exact, oc([0.52, 0.37], 0.11, [3.2, 2.1], n_trials=100, patients_se=[0.1, 0.0]))
    assert np.isnan(rare.loc[4, "z"])


@pytest.mark.parametrize("key", ["3+3", "ATD", "BOIN", "Keyboard", "mTPI", "mTPI-2", "CRM"])
def test_every_exact_design_agrees_with_its_simulation(key):
    table = sc.exact_vs_simulated(esc.make_design(key, 5), MID, n_trials=20_000, seed=3)
    z = table["z"].to_numpy()
    assert np.isfinite(z).sum() >= len(z) - 1
    assert np.all(np.abs(z[np.isfinite(z)]) < 4.5), table


@pytest.mark.parametrize("lang", LANGS)
def test_quantity_names_are_translated(lang):
    table = sc.exact_vs_simulated(esc.make_design("3+3", 3), [0.1, 0.3, 0.5], n_trials=500, lang=lang)
    assert table["quantity"].tolist()[:2] == [t("dcmp_q_select", lang, d=1), t("dcmp_q_select", lang, d=2)]
    assert table["quantity"].iloc[-1] == t("dcmp_q_total", lang)


def test_the_same_seed_gives_the_same_table():
    design = esc.make_design("BOIN", 5)
    a = sc.exact_vs_simulated(design, MID, n_trials=1000, seed=9)
    b = sc.exact_vs_simulated(design, MID, n_trials=1000, seed=9)
    assert a.equals(b)


def test_bad_arguments():
    design = esc.make_design("BOIN", 5)
    exact, sim = design.exact(MID), design.simulate(MID, n_trials=200).summary()
    with pytest.raises(TypeError, match="design"):
        sc.exact_vs_simulated("BOIN", MID)
    with pytest.raises(ValueError, match="no exact operating characteristics"):
        sc.exact_vs_simulated(esc.BOIN12(0.3, 0.5, 5), MID, true_eff=[0.1, 0.2, 0.3, 0.4, 0.5])
    with pytest.raises(ValueError, match="true_tox"):
        sc.exact_vs_simulated(design, [0.1, 0.2])
    with pytest.raises(TypeError, match="n_trials"):
        sc.exact_vs_simulated(design, MID, n_trials=1.5)
    with pytest.raises(TypeError, match="exact"):
        sc.agreement(None, sim)
    with pytest.raises(TypeError, match="simulated"):
        sc.agreement(exact, "sim")
    with pytest.raises(ValueError, match="exact must hold exact"):
        sc.agreement(sim, sim)
    with pytest.raises(ValueError, match="simulated must hold simulated"):
        sc.agreement(exact, exact)
    other = design.simulate([0.1, 0.2, 0.3, 0.4, 0.5], n_trials=200).summary()
    with pytest.raises(ValueError, match="same scenario"):
        sc.agreement(exact, other)
    with pytest.raises(ValueError, match="lang"):
        sc.agreement(exact, sim, lang="fr")
