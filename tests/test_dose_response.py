"""Tests of dosecourse.dose_response (MCP-Mod) against R DoseFinding 1.0.3, closed forms and simulation.

Reference numbers were produced once in R 4.2.2 with DoseFinding 1.0.3 and mvtnorm 1.1-3 and are pasted below
with the exact calls (tests need no R).  Common R set-up of every reference:

    library(DoseFinding); data(biom); data(IBScovars); data(glycobrom); data(migraine)
    tight <- mvtnorm.control(abseps = 1e-6, maxpts = 5e6)    # "tight": mvtnorm's own error about 1e-6

DoseFinding's default ``mvtnorm.control()`` has ``abseps = 0.001``: its p-values are then only good to about
1e-3 (on biom its emax p-value is off by 9e-5 and its linear one by 3.4e-4), so p-values are compared with the
tight runs.  ``critVal`` calls ``mvtnorm::qmvt``, which stops at ``ptol = 0.001`` whatever ``abseps``, so
critical values are compared with a root found in R by ``uniroot`` on a tight ``pmvt`` (see ``qroot`` below)
and, more loosely, with ``critVal``.  The data sets are read from ``dosecourse/data/dosefinding_*.json``
(exported from the package with ``jsonlite::toJSON(digits = NA)``, an exact round trip).

Tolerances: contrasts and t statistics 1e-9 (both are closed forms); fitted coefficients 1e-6 (R's ``optimize``
stops at a relative 1.5e-8 in the parameter, ``nlminb`` at relative 1e-10 in the RSS); adjusted p-values
``DEFAULT_ABSEPS`` = 1e-4 (the error this module aims at, three standard errors; observed up to 4e-5) and, with
``abseps=1e-5``, 1e-5 (observed 1.4e-6); power 0.005 as asked (observed about 1e-4); TD/ED 1e-6 except where
DoseFinding finds a root with ``uniroot``'s default tolerance (1.2e-4: betaMod), where the reference is a
``uniroot(tol = 1e-14)`` run.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dosecourse import data
from dosecourse import dose_response as dr
from dosecourse.i18n import LANGS, catalogue

BIOM = data.load("dosefinding_biom")
IBS = data.load("dosefinding_ibscovars")
GLYCO = data.load("dosefinding_glycobrom")
MIGRAINE = data.load("dosefinding_migraine")
BIOM_DOSES = [0, 0.05, 0.2, 0.6, 1]


def close(a, b, tol):
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    assert a.shape == b.shape, (a.shape, b.shape)
    np.testing.assert_allclose(a, b, rtol=0, atol=tol)


# ============================================================================================================
# Data files
# ============================================================================================================

def test_data_files_have_a_source_and_the_documented_sizes():
    for d in (BIOM, IBS, GLYCO, MIGRAINE):
        assert "DoseFinding" in d["source"]
    assert "Bretz" in BIOM["source"] and "10.1111/j.1541-0420.2005.00344.x" in BIOM["source"]
    assert len(BIOM["dose"]) == len(BIOM["resp"]) == 100
    assert sorted(set(BIOM["dose"])) == BIOM_DOSES
    assert len(IBS["dose"]) == 369
    assert GLYCO["dose"] == [0, 12.5, 25, 50, 100]
    assert MIGRAINE["ntrt"] == [133, 32, 44, 63, 63, 65, 59, 58]


# ============================================================================================================
# Candidate models (Mods), guesstimates (guesst)
# ============================================================================================================

ALL_MODELS = {"linear": None, "linlog": None, "emax": [0.05, 0.3], "exponential": 0.7, "quadratic": -0.85,
              "logistic": [[0.4, 0.09], [0.3, 0.1]], "betaMod": (0.3, 1.3), "sigEmax": (0.5, 2),
              "linInt": [[0.5, 0.75, 1, 1], [0.5, 1, 0.7, 0.5]]}
# allm <- Mods(linear = NULL, linlog = NULL, emax = c(0.05, 0.3), exponential = 0.7, quadratic = -0.85,
#              logistic = rbind(c(0.4, 0.09), c(0.3, 0.1)), betaMod = c(0.3, 1.3), sigEmax = c(0.5, 2),
#              linInt = rbind(c(0.5, 0.75, 1, 1), c(0.5, 1, 0.7, 0.5)), doses = c(0, 0.05, 0.2, 0.6, 1),
#              addArgs = list(scal = 1.2, off = 0.1))          # the ?Mods example
# getResp(allm, doses = c(0, 0.05, 0.2, 0.35, 0.6, 1))
ALL_LABELS = ["linear", "linlog", "emax1", "emax2", "exponential", "quadratic", "logistic1", "logistic2",
              "betaMod", "sigEmax", "linInt1", "linInt2"]
ALL_RESP = [
    [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
    [0.05, 0.169092083673438, 0.525, 0.185714285714286, 0.0233367920010763, 0.162775, 0.00856046460385255,
     0.0298764421693185, 0.789291521939165, 0.0123762376237624, 0.5, 0.5],
    [0.2, 0.458156909991326, 0.84, 0.52, 0.104235718966855, 0.5644, 0.0872894256712125, 0.232766778354034,
     0.997581169778372, 0.172413793103448, 0.75, 1.0],
    [0.35, 0.627248993664764, 0.91875, 0.7, 0.204467596243664, 0.835975, 0.357574082296039, 0.604240589711653,
     0.955221878208642, 0.411073825503356, 0.84375, 0.8875],
    [0.6, 0.811507562957249, 0.969230769230769, 0.866666666666667, 0.4275235466157, 0.9996, 0.902239423178207,
     0.951122594566917, 0.713972106014204, 0.737704918032787, 1.0, 0.7],
    [1.0, 1.0, 1.0, 1.0, 1.0, 0.51, 1.0, 1.0, 0.199516233955674, 1.0, 1.0, 0.5]]
# TD(allm, Delta = 0.2); ED(allm, p = 0.5).  The betaMod entries are replaced by uniroot(tol = 1e-14) roots,
# because TD/ED use uniroot's default tolerance (eps^0.25) for it:
#   b2 <- function(x) betaMod(x, 0, 1, 0.3, 1.3, 1.2); mode2 <- 0.3/1.6*1.2
#   uniroot(function(x) b2(x) - 0.2, c(0, mode2), tol = 1e-14)$root            # 0.000428735658248471
#   uniroot(function(x) 0.5 - b2(x)/b2(mode2), c(0, mode2), tol = 1e-14)$root  # 0.009392291071691655
ALL_TD02 = [0.2, 0.0615394266202178, 0.0117647058823529, 0.0545454545454545, 0.343955895597209,
            0.0621016523529907, 0.280230494889869, 0.183499195347596, 0.000428735658248471, 0.218217890235992,
            0.02, 0.02]
ALL_ED50 = [0.5, 0.23166247903554, 0.0454545454545455, 0.1875, 0.665177916058172, 0.172290128713796,
            0.401860600296309, 0.3093096825069, 0.009392291071691655, 0.408248290463863, 0.05, 0.05]
# optContr(allm, S = diag(c(1, 2, 1, 1, 0.5)))$contMat[, c(1, 3, 6, 9, 12)] and $corMat[1, ]
ALL_CONT_S = [[-0.438895355954191, -0.783965352977355, -0.662615473036092, -0.491717841259249, -0.733272949461597],
              [-0.198085514634192, -0.114005068805425, -0.220026584166094, 0.180169167817441, -0.0248567101512404],
              [-0.267998049210966, 0.105562991609051, 0.109088810636971, 0.585191227236294, 0.633846108856635],
              [0.0737965642754835, 0.242413506160806, 0.704137896842706, 0.279029501325793, 0.223710391361165],
              [0.831182355523866, 0.549993924012924, 0.0694153497225088, -0.55267205512028, -0.0994268406049622]]
ALL_COR_S_ROW1 = [1.0, 0.96413769803057, 0.785554140881968, 0.94323894103203, 0.98794926891813, 0.504244689348945,
                  0.959581693298622, 0.954120750126113, -0.283502870911966, 0.991196713844448, 0.823166483812292,
                  0.164827933653585]


def all_models():
    return dr.candidate_models(ALL_MODELS, BIOM_DOSES, scal=1.2, off=0.1)


def test_candidate_shapes_match_mods():
    cm = all_models()
    assert list(cm.labels) == ALL_LABELS
    close(cm.mean([0, 0.05, 0.2, 0.35, 0.6, 1]), ALL_RESP, 1e-12)


def test_target_and_effective_doses_of_the_shapes_match_td_and_ed():
    cm = all_models()
    close([cm.target_dose(0.2)[k] for k in ALL_LABELS], ALL_TD02, 1e-12)
    close([cm.effective_dose(0.5)[k] for k in ALL_LABELS], ALL_ED50, 1e-12)


def test_optimal_contrasts_with_a_general_covariance_match_optcontr():
    oc = dr.optimal_contrasts(all_models(), cov=np.diag([1, 2, 1, 1, 0.5]))
    close(oc.contrasts[:, [0, 2, 5, 8, 11]], ALL_CONT_S, 1e-12)
    close(oc.correlation[0], ALL_COR_S_ROW1, 1e-12)
    close(oc.contrasts.sum(axis=0), np.zeros(12), 1e-12)
    close(np.linalg.norm(oc.contrasts, axis=0), np.ones(12), 1e-12)


POWER_DOSES = [0, 10, 25, 50, 100, 150]
POWER_MODELS = {"linear": None, "emax": 25, "logistic": (50, 10.88111), "exponential": 85,
                "betaMod": [[0.33, 2.31], [1.39, 1.39]]}
# doses <- c(0, 10, 25, 50, 100, 150)
# fmodels <- Mods(linear = NULL, emax = 25, logistic = c(50, 10.88111), exponential = 85,
#                 betaMod = rbind(c(0.33, 2.31), c(1.39, 1.39)), doses = doses, addArgs = list(scal = 200),
#                 placEff = 0, maxEff = 0.4)                   # the ?powMCT example
# optContr(fmodels, w = 1, type = "constrained")$contMat
CONSTRAINED_INC = [[-0.77151674981046, -0.848204509186603, -0.816465661816883, -0.707106781186548, -0.860281406381735,
                    -0.804566691884396],
                   [0.0, 0.0, 0.0, 0.0, 0.248280607142565, 0.0],
                   [0.0, 0.0, 0.0, 0.0, 0.38016289963169, 0.0],
                   [0.0, 0.125144927584908, 0.0, 0.0, 0.23183789960748, 0.117138914169124],
                   [0.154303349962092, 0.319814814939211, 0.402079189267989, 0.0, 0.0, 0.570288863546148],
                   [0.617213399848368, 0.403244766662483, 0.414386472548894, 0.707106781186548, 0.0, 0.117138914169124]]
DEC_MODELS = dict(POWER_MODELS, linInt=[[0, 1, 1, 1, 1], [0, 0, 1, 1, 0.8]])
# fdec <- Mods(linear = NULL, emax = 25, logistic = c(50, 10.88111), exponential = 85,
#              betaMod = rbind(c(0.33, 2.31), c(1.39, 1.39)), linInt = rbind(c(0, 1, 1, 1, 1), c(0, 0, 1, 1, 0.8)),
#              doses = doses, placEff = 0.5, maxEff = -0.4, addArgs = list(scal = 200))   # the ?Mods example
# optContr(fdec, w = c(2, 1, 1, 1, 1, 2), type = "constrained")$contMat
CONSTRAINED_DEC = [[0.749268649265355, 0.827112830368627, 0.800811883683226, 0.707106781186547, 0.863767990077365,
                    0.849027205669261, 0.883883476483184, 0.866025403784439],
                   [0.0, 0.0, 0.0, 0.0, -0.263775279353089, 0.0, 0.0, 0.0],
                   [0.0, 0.0, 0.0, 0.0, -0.346535773379432, 0.0, -0.176776695296637, 0.0],
                   [0.0, -0.106484585945662, 0.0, 0.0, -0.253456937344844, -0.14255767050228, -0.176776695296637,
                    -0.288675134594813],
                   [-0.0936585811581695, -0.210492786171657, -0.262473910703836, 0.0, 0.0, -0.421354194162422,
                    -0.176776695296637, -0.288675134594813],
                   [-0.655610068107186, -0.510135458251309, -0.53833797297939, -0.707106781186547, 0.0,
                    -0.285115341004559, -0.353553390593274, -0.288675134594813]]
# optContr(fdec, w = c(2, 1, 1, 1, 1, 2))$contMat          (unconstrained)
UNCONSTRAINED_DEC = [[0.530959134958854, 0.767041819689874, 0.551228817362985, 0.437894727703899, 0.617153261759668,
                      0.705706986205433, 0.729324957489473, 0.592156525463792],
                     [0.221689123359109, 0.162524467197194, 0.266475730946962, 0.20236844882695, -0.338792390419601,
                      0.270975351481957, 0.364662478744737, 0.296078262731896],
                     [0.156003457178633, -0.00322286478861268, 0.225043472076986, 0.173539609635331,
                      -0.415807938105548, 0.0918417954488576, -0.218797487246842, 0.296078262731896],
                     [0.0465273468778379, -0.132137456333129, -0.0290849940274505, 0.112605047575475,
                      -0.329190311911913, -0.199269238229858, -0.218797487246842, -0.361873432227873],
                     [-0.172424873723751, -0.235269129568743, -0.333784396736394, -0.0788970158739232,
                      -0.00564139441533691, -0.470716418446675, -0.218797487246842, -0.361873432227873],
                     [-0.782754188650682, -0.558936836196583, -0.679878629623087, -0.847510817867733,
                      0.472278773092731, -0.398538476459716, -0.437594974493684, -0.460566186471839]]
# TD(fdec, Delta = 0.3, direction = "decreasing"); ED(fdec, p = 0.5); betaMod entries by uniroot(tol = 1e-14):
#   b3 <- function(x) betaMod(x, 0, 1, d1, d2, 200); m3 <- d1/(d1 + d2)*200
#   uniroot(function(x) b3(x) - 0.3/0.4, c(0, m3), tol = 1e-14); uniroot(function(x) 0.5 - b3(x)/b3(m3), ...)
DEC_TD = [112.5, 45.0, 62.0952202264311, 130.265330406627, 4.88097791498117, 56.7620171136625, 21.25, 43.75]
DEC_ED = [75.0, 18.75, 50.215409141421, 104.517638723071, 1.25583787540218, 37.3373861141242, 17.5, 37.5]


def test_constrained_contrasts_match_optcontr():
    inc = dr.candidate_models(POWER_MODELS, POWER_DOSES, max_effect=0.4, scal=200)
    close(dr.optimal_contrasts(inc, constrained=True).contrasts, CONSTRAINED_INC, 1e-9)
    dec = dr.candidate_models(DEC_MODELS, POWER_DOSES, placebo_effect=0.5, max_effect=-0.4, scal=200)
    assert dec.direction == "decreasing"
    w = [2, 1, 1, 1, 1, 2]
    close(dr.optimal_contrasts(dec, weights=w, constrained=True).contrasts, CONSTRAINED_DEC, 1e-9)
    close(dr.optimal_contrasts(dec, weights=w).contrasts, UNCONSTRAINED_DEC, 1e-12)
    close([dec.target_dose(0.3)[k] for k in dec.labels], DEC_TD, 1e-9)
    close([dec.effective_dose(0.5)[k] for k in dec.labels], DEC_ED, 1e-9)


# guesst(d = 0.3, p = 0.8, model = "emax"); guesst(d = 0.3, p = 0.8, "emax", local = TRUE, Maxd = 1);
# guesst(d = c(0.2, 0.6), p = c(0.2, 0.95), "logistic"); guesst(d = c(0.2, 0.4, 0.6), p = c(0.2, 0.6, 0.95),
# "logistic"); guesst(d = 0.4, p = 0.8, "betaMod", dMax = 0.8, scal = 1.2, Maxd = 1); the same two calls for
# "sigEmax"; guesst(d = 0.7, p = 1, "quadratic"); guesst(d = 0.3, p = 0.6, "quadratic", less = FALSE)
GUESST = [
    (("emax", 0.3, 0.8), {}, [0.075]),
    (("emax", 0.3, 0.8), {"local": True, "max_dose": 1}, [0.12]),
    (("logistic", [0.2, 0.6], [0.2, 0.95]), {}, [0.328042458603857, 0.0923631100255075]),
    (("logistic", [0.2, 0.4, 0.6], [0.2, 0.6, 0.95]), {}, [0.339544966272005, 0.0923631100255074]),
    (("betaMod", 0.4, 0.8), {"dose_max_effect": 0.8, "scal": 1.2, "max_dose": 1},
     [0.643856189774724, 0.321928094887362]),
    (("sigEmax", [0.2, 0.6], [0.2, 0.95]), {}, [0.284288598128315, 3.94200336638929]),
    (("sigEmax", [0.2, 0.4, 0.6], [0.2, 0.6, 0.95]), {}, [0.305862865390401, 3.79587444295791]),
    (("quadratic", 0.7, 1), {}, [-0.714285714285714]),
    (("quadratic", 0.3, 0.6), {"less": False}, [-2.72075922005613]),
]


@pytest.mark.parametrize("args, kwargs, expected", GUESST)
def test_guesstimates_match_guesst(args, kwargs, expected):
    close(dr.guesstimate(*args, **kwargs), expected, 1e-12)


def test_guesstimates_found_by_optimisation():
    # guesst(d = 0.8, p = 0.5, "exponential", Maxd = 1) = 0.30475051910705 (optimize at tol eps^0.25);
    # uniroot(function(delta) (exp(0.8/delta) - 1)/(exp(1/delta) - 1) - 0.5, c(0.05, 2), tol = 1e-14)$root
    (delta,) = dr.guesstimate("exponential", 0.8, 0.5, max_dose=1)
    assert delta == pytest.approx(0.304759128034976, abs=1e-8)
    assert delta == pytest.approx(0.30475051910705, abs=1.2e-4)
    # local logistic / sigEmax: R's Nelder-Mead stops early; ours solves the two equations exactly
    # guesst(d = c(0.2, 0.6), p = c(0.2, 0.95), "logistic", local = TRUE, Maxd = 1)
    #   = (0.316571153021891, 0.095558874711098)
    # guesst(d = c(0.2, 0.6), p = c(0.2, 0.95), "sigEmax", local = TRUE, Maxd = 1)
    #   = (0.288797413706701, 3.80322823806151)
    for model, ref in (("logistic", [0.316571153021891, 0.095558874711098]),
                       ("sigEmax", [0.288797413706701, 3.80322823806151])):
        g = dr.guesstimate(model, [0.2, 0.6], [0.2, 0.95], local=True, max_dose=1)
        close(g, ref, 1e-4)
        f = dr.model_mean(model, [0, 0.2, 0.6, 1], [0, 1, *g])
        close((f[1:3] - f[0]) / (f[3] - f[0]), [0.2, 0.95], 1e-9)


# ============================================================================================================
# Model fits (fitMod) on biom: every model, default bounds
# ============================================================================================================

# Spot check, re-run on 2026-12-03 with R 4.2.2 Patched and DoseFinding 1.0.3 (options(digits = 15)):
#   coef(), $RSS and TD(f, Delta = 0.3) of fitMod(dose, resp, data = biom, model = m) for m = "sigEmax",
#   "logistic", "emax"; coef() and $RSS for "betaMod" and "exponential"; and MCPMod(dose, resp, biom, models,
#   Delta = 0.5, mvtcontrol = tight)$doseEst and $selMod (MCPMOD_* below) reproduce every digit recorded here.
# f <- fitMod(dose, resp, data = biom, model = m)     (default bounds defBnds(1))
# coef(f); f$RSS; AIC(f); AIC(f, k = log(100)); TD(f, Delta = 0.3); ED(f, p = 0.5); ED(f, p = 0.9)
# predict(f, predType = "ls-means", doseSeq = c(0, 0.1, 0.5, 1), se.fit = TRUE)   -> pred, pred_se
# predict(f, predType = "effect-curve", doseSeq = c(0, 0.1, 0.5, 1), se.fit = TRUE) -> effect, effect_se
# DoseFinding:::getTDVar(m, coef(f), vcov(f), "unrestricted", 0.3, "increasing", attr(f, "off"), attr(f, "scal"))
# DoseFinding:::getEDVar(m, coef(f), vcov(f), "unrestricted", 0.5, 1, attr(f, "off"), attr(f, "scal"))
# betaMod TD/ED: uniroot(tol = 1e-14) on betaMod(x, 0, 1, cf[3], cf[4], 1.2) (TD() and ED() give 0.113149292294877,
# 0.138629023564637, 0.480152623043428 with uniroot's default tolerance); its ED50 variance likewise:
#   edt <- function(par) uniroot(function(x) 0.5 - b(x, par)/b(mode(par), par), c(0, mode(par)), tol = 1e-14)$root
#   g <- numDeriv::grad(edt, coef(f)); t(g) %*% vcov(f) %*% g     # getEDVar gives 0.0175807327581219
FIT_BIOM = {
    "linear": {"coefs": [0.492340782152566, 0.558605343241713], "RSS": 50.0128197497622, "AIC": 220.498624798106,
               "BIC": 228.314135356071, "TD03": 0.537051790910256, "ED50": 0.5, "ED90": 0.9,
               "TD03_var": 0.0328490634949871, "ED50_var": 0.0,
               "pred": [0.492340782152566, 0.548201316476738, 0.771643453773423, 1.05094612539428],
               "pred_se": [0.0998428215168607, 0.0877161099057723, 0.0755245125736414, 0.138595223082175],
               "effect": [0.0, 0.0558605343241713, 0.279302671620856, 0.558605343241713],
               "effect_se": [0.0, 0.0188516953458692, 0.0942584767293459, 0.188516953458692]},
    "linlog": {"coefs": [0.974914867829807, 0.145764216543574], "RSS": 48.5907833037256, "AIC": 217.614074938675,
               "BIC": 225.429585496639, "TD03": 0.0683121984724099, "ED50": 0.0904987562112089,
               "ED90": 0.626633131628941, "TD03_var": 0.00218202488824613, "ED50_var": 0.0,
               "pred": [0.303645843619427, 0.653173169412422, 0.876765326559431, 0.976365270010969],
               "pred_se": [0.134495067289875, 0.0716577586202063, 0.0872458032034755, 0.106859960033079],
               "effect": [0.0, 0.349527325792995, 0.573119482940004, 0.672719426391542],
               "effect_se": [0.0, 0.10130041766933, 0.166102157719814, 0.194968329623804]},
    "quadratic": {"coefs": [0.390222160814309, 1.76841721670226, -1.23177102261014], "RSS": 48.6419205307945,
                  "AIC": 219.71926018966, "BIC": 230.139940933612, "TD03": 0.196552533945288,
                  "ED50": 0.210249064679039, "ED90": 0.490835783876653, "TD03_var": 0.0088423832372141,
                  "ED50_var": 0.00210701007749238,
                  "pred": [0.390222160814309, 0.554746172258434, 0.966488013512903, 0.926868354906426],
                  "pred_se": [0.116661230191643, 0.0870403820569524, 0.13961319289007, 0.156544476583556],
                  "effect": [0.0, 0.164524011444124, 0.576265852698593, 0.536646194092117],
                  "effect_se": [0.0, 0.0683255570851547, 0.202455669821858, 0.187342506425861]},
    "linInt": {"coefs": [0.344905396465, 0.456754284895, 0.81031577158, 0.934436926255, 0.948711416565],
               "RSS": 48.2088429276759, "AIC": 222.824934788028, "BIC": 238.455955903956, "TD03": 0.129823928222829,
               "ED50": 0.130631288521532, "ED90": 0.451415782198531,
               "pred": [0.344905396465, 0.57460811379, 0.90340663758625, 0.948711416565],
               "pred_se": [0.159289281576296, 0.118727220563901, 0.125929234158248, 0.159289281576296],
               "effect": [0.0, 0.229702717325, 0.55850124112125, 0.6038060201],
               "effect_se": [0.0, 0.198668639014621, 0.203054788765928, 0.225269062345865]},
    "emax": {"coefs": [0.32161066408976, 0.746298451103041, 0.14218710367346], "RSS": 48.3601358323109,
             "AIC": 219.138271493791, "BIC": 229.558952237743, "TD03": 0.0955775916241968, "ED50": 0.110705355853548,
             "ED90": 0.528386488649096, "TD03_var": 0.0119868720426442, "ED50_var": 0.0119675599282396,
             "pred": [0.32161066408976, 0.629760206234363, 0.902670643988173, 0.975004883568183],
             "pred_se": [0.152114170045927, 0.12936631679599, 0.0914669588954883, 0.125048022268455],
             "effect": [0.0, 0.308149542144603, 0.581059979898413, 0.653394219478423],
             "effect_se": [0.0, 0.20721602061307, 0.185829686902035, 0.186832336693383]},
    "exponential": {"coefs": [0.510905251973151, 0.83307566446881, 1.99999994664201], "RSS": 50.3298419215689,
                    "AIC": 223.130506036551, "BIC": 233.551186780503, "TD03": 0.615133122526627,
                    "ED50": 0.561859608857063, "ED90": 0.919716102956643, "TD03_var": 0.135011163173709,
                    "ED50_var": 0.115812333570006,
                    "pred": [0.510905251973151, 0.553617955822909, 0.747519921840887, 1.05133917393864],
                    "pred_se": [0.115922221600701, 0.0885276359628197, 0.142007437903096, 0.15995165041851],
                    "effect": [0.0, 0.0427127038497583, 0.236614669867736, 0.540433921965487],
                    "effect_se": [0.0, 0.0601644410853483, 0.201290264591576, 0.190952600107638]},
    "logistic": {"coefs": [0.169088858363286, 0.772832803633188, 0.087207816562973, 0.0712968438980617],
                 "RSS": 48.2107199467537, "AIC": 220.828828228367, "BIC": 233.854679158308,
                 "TD03": 0.120771089803118, "ED50": 0.120207117251125, "ED90": 0.264031705284233,
                 "TD03_var": 0.0123466329398901, "ED50_var": 0.00871776150472134,
                 "pred": [0.344815518057905, 0.590078258344378, 0.939565012907716, 0.941919534142107],
                 "pred_se": [0.158453742953774, 0.200566164445432, 0.107837999324196, 0.112994670389319],
                 "effect": [0.0, 0.245262740286473, 0.59474949484981, 0.597104016084201],
                 "effect_se": [0.0, 0.293248848112518, 0.187315339678579, 0.195453403737624]},
    "sigEmax": {"coefs": [0.344897786841351, 0.612497034441263, 0.109494949246763, 1.9117325669711],
                "RSS": 48.208843596352, "AIC": 220.824936175068, "BIC": 233.850787105009, "TD03": 0.107182177947552,
                "ED50": 0.107861663819527, "ED90": 0.321838248729996, "TD03_var": 0.00948899517057697,
                "ED50_var": 0.0072631752840709,
                "pred": [0.344897786841351, 0.624659383969266, 0.925553857234625, 0.948596523468204],
                "pred_se": [0.158320282027087, 0.180187069326544, 0.0993796963931739, 0.123268102407135],
                "effect": [0.0, 0.279761597127915, 0.580656070393274, 0.603698736626853],
                "effect_se": [0.0, 0.267513193306717, 0.1796118917246, 0.203894917791401]},
    "betaMod": {"coefs": [0.329177279728905, 0.6689835636106, 0.573478953632914, 0.321135431965305],
                "RSS": 48.4458360816476, "AIC": 221.31532724775, "BIC": 234.341178177691,
                "TD03": 0.113149299876619, "ED50": 0.138623375437645, "ED90": 0.480179767277497,
                "TD03_var": 0.0208832851850842, "ED50_var": 0.0176025185087676,
                "pred": [0.329177279728905, 0.609740191792026, 0.939891006599409, 0.936965840766928],
                "pred_se": [0.157179700788612, 0.124335095709492, 0.143285365415154, 0.15791910131925],
                "effect": [0.0, 0.280562912063121, 0.610713726870503, 0.607788561038023],
                "effect_se": [0.0, 0.205988840410793, 0.210793969416157, 0.22456767264512]},
}


@pytest.fixture(scope="module")
def biom_fits():
    return {m: dr.fit_model(BIOM["dose"], BIOM["resp"], m) for m in FIT_BIOM}


@pytest.mark.parametrize("model", list(FIT_BIOM))
def test_fits_match_fitmod(model, biom_fits):
    ref, fit = FIT_BIOM[model], biom_fits[model]
    close(fit.coefs, ref["coefs"], 1e-6)
    assert fit.rss == pytest.approx(ref["RSS"], abs=1e-8)
    assert fit.aic() == pytest.approx(ref["AIC"], abs=1e-7)
    assert fit.bic() == pytest.approx(ref["BIC"], abs=1e-7)
    grid = [0, 0.1, 0.5, 1]
    mean, se = fit.predict(grid, se=True)
    close(mean, ref["pred"], 1e-7)
    close(se, ref["pred_se"], 1e-7)
    eff, ese = fit.predict(grid, kind="effect-curve", se=True)
    close(eff, ref["effect"], 1e-7)
    close(ese, ref["effect_se"], 1e-7)
    assert fit.target_dose(0.3) == pytest.approx(ref["TD03"], abs=1e-7)
    assert fit.effective_dose(0.5) == pytest.approx(ref["ED50"], abs=1e-7)
    assert fit.effective_dose(0.9) == pytest.approx(ref["ED90"], abs=1e-7)


@pytest.mark.parametrize("model", [m for m in FIT_BIOM if m != "linInt"])
def test_delta_method_variances_match_gettdvar_and_getedvar(model, biom_fits):
    ref, fit = FIT_BIOM[model], biom_fits[model]
    assert fit.target_dose_se(0.3) ** 2 == pytest.approx(ref["TD03_var"], rel=1e-6, abs=1e-12)
    assert fit.effective_dose_se(0.5) ** 2 == pytest.approx(ref["ED50_var"], rel=1e-6, abs=1e-12)


def test_linint_delta_method_is_the_finite_difference_gradient(biom_fits):
    fit = biom_fits["linInt"]
    g = dr._td_grad("linInt", fit.coefs, 0.3, "increasing", None, None, fit.nodes)
    fd = [(dr._td("linInt", fit.coefs + e * 1e-6, 0.3, "increasing", None, None, fit.nodes)
           - dr._td("linInt", fit.coefs - e * 1e-6, 0.3, "increasing", None, None, fit.nodes)) / 2e-6
          for e in np.eye(fit.coefs.size)]
    close(g, fd, 1e-6)


# ============================================================================================================
# Multiple contrast test (MCTtest)
# ============================================================================================================

BIOM_MODELS = {"emax": 0.05, "linear": None, "logistic": (0.5, 0.1), "linInt": (0, 1, 1, 1)}
# modlist <- Mods(emax = 0.05, linear = NULL, logistic = c(0.5, 0.1), linInt = c(0, 1, 1, 1),
#                 doses = c(0, 0.05, 0.2, 0.6, 1))           # the ?MCTtest example
# m1 <- MCTtest(dose, resp, biom, models = modlist, critV = TRUE, mvtcontrol = tight)
# m1$contMat; m1$corMat; m1$tStat; attr(m1$tStat, "pVal")
MCT_BIOM_CONT = [[-0.798624265223524, -0.436656070239359, -0.373728762616168, -0.547722557505166],
                 [-0.169876934487505, -0.377648493179986, -0.369159232277794, -0.547722557505166],
                 [0.207371463954107, -0.200625762001867, -0.330382976431254, 0.365148371670111],
                 [0.362140037673742, 0.271434854473115, 0.39710041272896, 0.365148371670111],
                 [0.398989698083179, 0.743495470948098, 0.676170558596256, 0.365148371670111]]
MCT_BIOM_COR = [[1.0, 0.766218305516959, 0.706259541119261, 0.884116590087577],
                [0.766218305516959, 1.0, 0.97940333767661, 0.743354963440286],
                [0.706259541119261, 0.97940333767661, 1.0, 0.678160854172009],
                [0.884116590087577, 0.743354963440286, 0.67816085417201, 1.0]]
MCT_BIOM_T = [3.33931844841953, 2.97153434466477, 2.80825770879292, 3.41785046184034]
MCT_BIOM_P = [0.00154585338438151, 0.00461141490251626, 0.00726346212041029, 0.00120964210117991]
# with the default mvtnorm.control() (abseps = 0.001): 0.0014552608330205, 0.00427030465264155,
# 0.00709421362473139, 0.00121906671234806 -- off by up to 3.4e-4
# MCTtest(dose, resp, biom, models = modlist, alternative = "two.sided", critV = TRUE, mvtcontrol = tight)
MCT_BIOM_P_TWO = [0.00309230983182063, 0.00922479002147858, 0.0145275294770368, 0.00241860430851826]
# Critical values.  qmvt stops at ptol = 0.001, so critVal(..., control = tight) is good to about 1e-3 only
# (m1$critVal = 2.32076285381633, two-sided 2.60308084711267).  Reference roots:
#   qroot <- function(corr, alpha, df, two = FALSE) { m <- nrow(corr)
#     f <- function(q) { set.seed(7); lo <- if (two) rep(-q, m) else rep(-Inf, m)
#       mvtnorm::pmvt(lo, rep(q, m), df = df, corr = corr,
#                     algorithm = mvtnorm::GenzBretz(abseps = 1e-6, maxpts = 5e6)) - (1 - alpha) }
#     uniroot(f, c(1.5, 3.5), tol = 1e-9)$root }
#   qroot(m1$corMat, 0.025, 95); qroot(m1$corMat, 0.025, 95, TRUE)
CRIT_BIOM_CRITVAL = 2.32076285381633
CRIT_BIOM_CRITVAL_TWO = 2.60308084711267
CRIT_BIOM_ROOT = 2.32054238174921
CRIT_BIOM_ROOT_TWO = 2.60286426390044


@pytest.fixture(scope="module")
def biom_test():
    cm = dr.candidate_models(BIOM_MODELS, BIOM_DOSES)
    return dr.mct_test(BIOM["dose"], BIOM["resp"], cm)


def test_contrasts_and_t_statistics_match_mcttest(biom_test):
    close(biom_test.contrasts, MCT_BIOM_CONT, 1e-9)
    close(biom_test.correlation, MCT_BIOM_COR, 1e-9)
    close(biom_test.t_stats, MCT_BIOM_T, 1e-9)
    assert biom_test.df == 95
    assert biom_test.labels == ("emax", "linear", "logistic", "linInt")


def test_adjusted_p_values_match_mcttest(biom_test):
    close(biom_test.p_values, MCT_BIOM_P, dr.DEFAULT_ABSEPS)
    assert np.all(biom_test.p_value_error <= dr.DEFAULT_ABSEPS)
    tight = dr.mct_test(BIOM["dose"], BIOM["resp"], dr.candidate_models(BIOM_MODELS, BIOM_DOSES), abseps=1e-5)
    close(tight.p_values, MCT_BIOM_P, 1e-5)
    two = dr.mct_test(BIOM["dose"], BIOM["resp"], dr.candidate_models(BIOM_MODELS, BIOM_DOSES),
                      alternative="two-sided")
    close(two.t_stats, MCT_BIOM_T, 1e-9)  # all positive here
    close(two.p_values, MCT_BIOM_P_TWO, dr.DEFAULT_ABSEPS)


def test_critical_values_match_the_multivariate_t_quantile(biom_test):
    # observed differences to the roots: 1.3e-5 here, up to 1.6e-4 for singular correlations (below)
    q = dr.critical_value(biom_test.correlation, 0.025, 95)
    assert q == pytest.approx(CRIT_BIOM_ROOT, abs=2e-4)
    assert q == pytest.approx(CRIT_BIOM_CRITVAL, abs=2e-3)
    q2 = dr.critical_value(biom_test.correlation, 0.025, 95, alternative="two-sided")
    assert q2 == pytest.approx(CRIT_BIOM_ROOT_TWO, abs=2e-4)
    assert q2 == pytest.approx(CRIT_BIOM_CRITVAL_TWO, abs=2e-3)


@pytest.mark.parametrize("alt", ["one-sided", "two-sided"])
def test_tabulated_normal_maximum_and_mixture_are_exact_for_independent_contrasts(alt):
    # R = I: Phi_R(c) = Phi(c)^4 (two-sided (2 Phi(c) - 1)^4) and the lattice rule is exact, so this measures the
    # Chebyshev interpolation and the Gauss-Hermite mixture over S = sqrt(chi2_nu / nu) (observed 4e-8, 7e-10)
    from scipy import integrate, special, stats
    I4 = np.eye(4)

    def phi(c):
        return special.ndtr(c) ** 4 if alt == "one-sided" else (2 * special.ndtr(c) - 1) ** 4

    c = np.linspace(0.0, 6.5, 131) if alt == "two-sided" else np.linspace(-3.0, 6.5, 191)
    close(dr._normal_max(I4, alt, c, 1e-5), phi(c), 1e-7)
    for nu in (2, 5, 45, 370):
        def dens(s, nu=nu):
            return stats.chi.pdf(s * math.sqrt(nu), nu) * math.sqrt(nu)
        ref = integrate.quad(lambda s: phi(2.3 * s) * dens(s), 0, np.inf, epsabs=1e-14, limit=200)[0]
        assert dr._max_t_cdf(I4, alt, 2.3, nu, 1e-5) == pytest.approx(ref, abs=1e-8), nu
    # and the critical value is the root of the closed form
    q = dr.critical_value(I4, 0.05, 20, alternative=alt)
    ref = integrate.quad(lambda s: phi(q * s) * stats.chi.pdf(s * math.sqrt(20), 20) * math.sqrt(20), 0, np.inf,
                         epsabs=1e-14, limit=200)[0]
    assert ref == pytest.approx(0.95, abs=1e-8)


# The IBS planning contrasts (nearly singular correlation, smallest eigenvalue 3.8e-6) and Dunnett's, qroot as above:
#   m <- Mods(linear = NULL, emax = 0.5, sigEmax = c(2, 4), exponential = 2, doses = 0:4)
#   R <- optContr(m, w = 1)$corMat; qroot(R, 0.025, 45); qroot(R, 0.025, 370); qroot(R, 0.025, Inf)
#   D <- cbind(c(-1,1,0,0,0), c(-1,0,1,0,0), c(-1,0,0,1,0), c(-1,0,0,0,1)) / sqrt(2)
#   qroot(cov2cor(t(D) %*% D), 0.025, 370)
QROOT_IBS = {45: 2.31628574554296, 370: 2.25319202041447, math.inf: 2.24464070240712}
QROOT_DUNNETT_370 = 2.45237501589738


def test_critical_values_for_any_df_match_qroot():
    # one table of the normal maximum per correlation serves every df.  Observed differences to qroot: 1e-5, 6.7e-5,
    # 8e-6 (MCP; with abseps=1e-6: 1.3e-5, 3.7e-5, 2.3e-5, so mostly mvtnorm's own error) and 1.7e-5 (Dunnett);
    # 1.5e-4 in q is 1e-5 in probability here (dP/dq ~ 0.06)
    cm = dr.candidate_models(IBS_SHAPES, [0, 1, 2, 3, 4])
    R = dr.optimal_contrasts(cm).correlation
    for nu, ref in QROOT_IBS.items():
        assert dr.critical_value(R, 0.025, nu) == pytest.approx(ref, abs=1.5e-4), nu
    many = dr.many_to_one_contrasts([0, 1, 2, 3, 4]).correlation
    assert dr.critical_value(many, 0.025, 370) == pytest.approx(QROOT_DUNNETT_370, abs=1e-4)


def test_critical_value_of_equicorrelated_contrasts_matches_quadrature_scipy_and_the_lattice():
    # corr 0.5: Phi_R(c) = int phi(x) Phi((c + sqrt(.5) x) / sqrt(.5))^4 dx, one more quadrature over s; the
    # probability at the critical value is 1 - alpha to the lattice error of the table (observed 9e-7)
    from scipy import integrate, special, stats
    rho = 0.5
    R = np.full((4, 4), rho) + (1 - rho) * np.eye(4)

    def phi(c):
        return integrate.quad(lambda x: stats.norm.pdf(x) * special.ndtr((c + math.sqrt(rho) * x)
                                                                          / math.sqrt(1 - rho)) ** 4,
                              -12, 12, epsabs=1e-14)[0]

    cs = np.linspace(0.2, 3.9, 12)
    close(dr._normal_max(R, "one-sided", cs, 1e-5), [phi(c) for c in cs], 1e-5)  # observed 4e-6
    q = dr.critical_value(R, 0.025, 30)
    dens = lambda s: stats.chi.pdf(s * math.sqrt(30), 30) * math.sqrt(30)  # noqa: E731
    assert integrate.quad(lambda s: phi(q * s) * dens(s), 0, 5, epsabs=1e-13)[0] == pytest.approx(0.975, abs=1e-5)
    # scipy's multivariate t (randomised QMC, seeded) and this module's lattice rule with the chi variable
    sp = stats.multivariate_t(np.zeros(4), R, df=30).cdf(np.full(4, q), maxpts=4_000_000,
                                                         random_state=np.random.default_rng(3))
    assert sp == pytest.approx(0.975, abs=1e-5)  # observed 9.3e-7
    lat = dr.mvt_probability([q] * 4, R, df=30, abseps=1e-6, max_points=2 ** 18)
    assert lat.value[0] == pytest.approx(0.975, abs=1e-5 + lat.error[0])


def test_significance_and_table(biom_test):
    assert biom_test.significant == ("linInt", "emax", "linear", "logistic")
    frame = biom_test.to_frame()
    assert list(frame.iloc[:, 0]) == ["linInt", "emax", "linear", "logistic"]
    for lang in LANGS:
        assert biom_test.to_frame(lang).shape == (4, 4)


IBS_MODELS = {"emax": 0.05, "linear": None, "logistic": (0.5, 0.1), "linInt": (0, 1, 1, 1)}
# modlist4 <- Mods(emax = 0.05, linear = NULL, logistic = c(0.5, 0.1), linInt = c(0, 1, 1, 1), doses = 0:4)
# m4 <- MCTtest(dose, resp, IBScovars, models = modlist4, critV = TRUE, mvtcontrol = tight)   (no covariate)
IBS_CONT = [[-0.894235944225131, -0.61662050128276, -0.894396280665798, -0.521615205991289],
            [0.206557624300912, -0.337786636361763, 0.228040966621505, -0.573042057286205],
            [0.226496723077875, 0.00176999914253662, 0.227166346460774, 0.373178612480964],
            [0.226652162932086, 0.31520144730299, 0.218080039068035, 0.358251467981725],
            [0.234529433914259, 0.637435691198994, 0.221108928515483, 0.363227182814805]]
IBS_T = [3.18578039551668, 2.64459056133882, 3.17169300896744, 2.25413203462528]
IBS_P = [0.00194475825129714, 0.00991759762254996, 0.00203809405529454, 0.0271836875681013]
# f4 <- fitMod(dose, resp, data = IBScovars, model = "emax", bnds = c(0.01, 4)); coef(f4); vcov(f4); f4$RSS
IBS_EMAX = [0.217112893228273, 0.377336677295864, 0.362836472183941]
IBS_EMAX_VCOV = [[0.00815123347249214, -0.0078333649233278, 0.0116972906737906],
                 [-0.0078333649233278, 0.0229480485505997, 0.074128715255978],
                 [0.0116972906737906, 0.074128715255978, 0.58972100775217]]
IBS_EMAX_RSS = 211.83870795269


def test_ibs_data_match_mcttest_and_fitmod():
    cm = dr.candidate_models(IBS_MODELS, [0, 1, 2, 3, 4])
    res = dr.mct_test(IBS["dose"], IBS["resp"], cm)
    close(res.contrasts, IBS_CONT, 1e-9)
    close(res.t_stats, IBS_T, 1e-9)
    close(res.p_values, IBS_P, dr.DEFAULT_ABSEPS)
    assert res.df == 369 - 5
    fit = dr.fit_model(IBS["dose"], IBS["resp"], "emax", bounds=[0.01, 4])
    close(fit.coefs, IBS_EMAX, 1e-6)
    close(fit.vcov(), IBS_EMAX_VCOV, 1e-7)
    assert fit.rss == pytest.approx(IBS_EMAX_RSS, abs=1e-8)


# ============================================================================================================
# MCPMod on biom
# ============================================================================================================

MCPMOD_MODELS = {"linear": None, "emax": [0.05, 0.2], "linInt": [1, 1, 1, 1]}
# models <- Mods(linear = NULL, emax = c(0.05, 0.2), linInt = c(1, 1, 1, 1), doses = c(0, 0.05, 0.2, 0.6, 1))
# MM <- MCPMod(dose, resp, biom, models, Delta = 0.5, mvtcontrol = tight)         # the ?MCPMod example
# MM$MCTtest$tStat; attr(MM$MCTtest$tStat, "pVal"); MM$modcrit; MM$selMod; MM$doseEst; lapply(MM$mods, coef)
MCPMOD_T = [2.97153434466477, 3.33931844841953, 3.46411343706088, 2.48552494957975]
MCPMOD_P = [0.0045451475059306, 0.00151517548834301, 0.00102851954847927, 0.0165773009825499]
MCPMOD_AIC = {"linear": 220.498624798106, "emax": 219.138271493791, "linInt": 222.824934788028}
MCPMOD_TD = {"linear": 0.895086318183759, "emax": 0.288647985881923, "linInt": 0.311470522411976}
MCPMOD_COEF = {"linear": [0.492340782152566, 0.558605343241713],
               "emax": [0.32161066408976, 0.746298451103041, 0.14218710367346],
               "linInt": [0.344905396465, 0.456754284895, 0.81031577158, 0.934436926255, 0.948711416565]}
# MM2 <- MCPMod(dose, resp, biom, models, Delta = 0.5, selModel = "aveAIC", mvtcontrol = tight)
# MM2$selMod; MM2$doseEst %*% MM2$selMod (the help page's model-averaged TD)
MCPMOD_WEIGHTS = {"linear": 0.304254221422061, "emax": 0.600666732304928, "linInt": 0.0950790462730105}
MCPMOD_AVE_TD = 0.47532935352372
# predict(MM, se.fit = TRUE, doseSeq = c(0, 0.2, 0.4, 0.9, 1), predType = "ls-means")$emax
MCPMOD_EMAX_PRED = [0.32161066408976, 0.75780387130964, 0.872194361891994, 0.966090531116771, 0.975004883568183]
MCPMOD_EMAX_SE = [0.152114170045927, 0.115287640425403, 0.0903577764621997, 0.118558852417299, 0.125048022268455]


@pytest.fixture(scope="module")
def biom_mcpmod():
    cm = dr.candidate_models(MCPMOD_MODELS, BIOM_DOSES)
    return dr.mcpmod(BIOM["dose"], BIOM["resp"], cm, delta=0.5)


def test_mcpmod_matches_mcpmod(biom_mcpmod):
    res = biom_mcpmod
    close(res.test.t_stats, MCPMOD_T, 1e-9)
    close(res.test.p_values, MCPMOD_P, dr.DEFAULT_ABSEPS)
    assert list(res.fits) == ["linear", "emax", "linInt"]
    for m in MCPMOD_AIC:
        assert res.criteria[m] == pytest.approx(MCPMOD_AIC[m], abs=1e-7)
        assert res.dose_estimates[m] == pytest.approx(MCPMOD_TD[m], abs=1e-7)
        close(res.fits[m].coefs, MCPMOD_COEF[m], 1e-6)
    assert res.selected == "emax"
    assert res.dose_estimate == pytest.approx(MCPMOD_TD["emax"], abs=1e-7)
    pred, se = res.fits["emax"].predict([0, 0.2, 0.4, 0.9, 1], se=True)
    close(pred, MCPMOD_EMAX_PRED, 1e-7)
    close(se, MCPMOD_EMAX_SE, 1e-7)
    close(res.predict([0, 0.2, 0.4, 0.9, 1]), MCPMOD_EMAX_PRED, 1e-7)


def test_mcpmod_model_averaging_and_maxt_match_mcpmod():
    cm = dr.candidate_models(MCPMOD_MODELS, BIOM_DOSES)
    # the fits do not depend on the p-values' last digits (all are far below alpha): a coarse abseps saves time
    ave = dr.mcpmod(BIOM["dose"], BIOM["resp"], cm, delta=0.5, selection="aveAIC", abseps=1e-3)
    assert ave.selected is None
    for m, w in MCPMOD_WEIGHTS.items():
        assert ave.weights[m] == pytest.approx(w, abs=1e-9)
    assert ave.dose_estimate == pytest.approx(MCPMOD_AVE_TD, abs=1e-7)
    # MCPMod(dose, resp, biom, models, Delta = 0.5, selModel = "maxT")$selMod = "emax"
    assert dr.mcpmod(BIOM["dose"], BIOM["resp"], cm, delta=0.5, selection="maxT", abseps=1e-3).selected == "emax"
    bic = dr.mcpmod(BIOM["dose"], BIOM["resp"], cm, delta=0.5, selection="BIC", abseps=1e-3)
    # BIC = AIC(fit, k = log(100)): 228.314135356071 (linear), 229.558952237743 (emax) -> linear
    assert bic.selected == "linear"
    assert bic.criteria["emax"] == pytest.approx(FIT_BIOM["emax"]["BIC"], abs=1e-7)


def test_mcpmod_tables_in_both_languages(biom_mcpmod):
    for lang in LANGS:
        frame = biom_mcpmod.to_frame(lang)
        assert frame.shape == (3, 5)
        curves = biom_mcpmod.curves([0, 0.5, 1], lang=lang)
        assert curves.shape == (3, 5)
    frame = biom_mcpmod.to_frame()
    se = frame["SE (delta method)"].tolist()
    assert se[1] == pytest.approx(biom_mcpmod.fits["emax"].target_dose_se(0.5))
    assert "dr_td" in catalogue() and "dr_se_delta" in catalogue()


def test_mcpmod_ed_instead_of_td():
    cm = dr.candidate_models(MCPMOD_MODELS, BIOM_DOSES)
    res = dr.mcpmod(BIOM["dose"], BIOM["resp"], cm, p=0.5, abseps=1e-3)
    assert res.dose_type == "ED"
    assert res.dose_estimates["emax"] == pytest.approx(FIT_BIOM["emax"]["ED50"], abs=1e-7)


# ============================================================================================================
# Independent checks: closed forms, random search, simulation (seeds fixed in advance)
# ============================================================================================================

def orthant3(r12, r13, r23):
    """P(X1 < 0, X2 < 0, X3 < 0) for a trivariate elliptical law: 1/8 + sum(asin r)/(4 pi)."""
    return 1 / 8 + (math.asin(r12) + math.asin(r13) + math.asin(r23)) / (4 * math.pi)


@pytest.mark.parametrize("df", [math.inf, 5.0])
def test_mvt_probability_orthants_are_exact(df):
    r = np.array([[1, 0.5, 0.3], [0.5, 1, -0.2], [0.3, -0.2, 1]])
    res = dr.mvt_probability([0, 0, 0], r, df=df)
    assert res.value[0] == pytest.approx(orthant3(0.5, 0.3, -0.2), abs=max(3 * res.error[0], 1e-6))
    b = dr.mvt_probability([[0, 0]], np.array([[1, 0.5], [0.5, 1]]), df=df)
    assert b.value[0] == pytest.approx(1 / 4 + math.asin(0.5) / (2 * math.pi), abs=1e-5)


def test_mvt_probability_independent_normal_is_a_product():
    from scipy.stats import norm
    up = np.array([0.3, -0.4, 1.2, 2.0])
    lo = np.array([-1.0, -2.0, -np.inf, 0.5])
    res = dr.mvt_probability(up, np.eye(4), lower=lo)
    assert res.value[0] == pytest.approx(float(np.prod(norm.cdf(up) - norm.cdf(lo))), abs=1e-7)


def test_noncentral_t_power_of_one_contrast_is_exact():
    from scipy import stats
    cm = dr.candidate_models({"linear": None}, [0, 1], max_effect=0.5)
    pw = dr.power_mct(dr.optimal_contrasts(cm), cm, n=50, sigma=1).power[0]
    q = stats.t.ppf(0.975, 98)
    assert pw == pytest.approx(1 - stats.nct.cdf(q, 98, 0.5 / math.sqrt(2 / 50)), abs=1e-4)


def test_singular_correlation_matches_simulation():
    # five contrasts on five doses: a rank-4 correlation matrix (as in MCP-Mod with many shapes)
    cm = dr.candidate_models({"linear": None, "emax": [5, 20], "sigEmax": (30, 3), "exponential": 80},
                             GLYCO["dose"])
    corr = dr.optimal_contrasts(cm, weights=GLYCO["n"]).correlation
    assert np.linalg.matrix_rank(corr, tol=1e-8) == 4
    res = dr.mvt_probability([1.5] * 5, corr, df=30)
    gen = np.random.default_rng(20250101)
    n = 400_000
    w, v = np.linalg.eigh(corr)
    z = gen.standard_normal((n, 5)) @ (v * np.sqrt(np.maximum(w, 0))).T
    s = np.sqrt(gen.chisquare(30, n) / 30)
    p_mc = np.mean(np.all(z / s[:, None] <= 1.5, axis=1))
    se = math.sqrt(p_mc * (1 - p_mc) / n)
    assert abs(res.value[0] - p_mc) < 3 * se + res.error[0]


def simulate_max_t(doses, n, contrasts, mu, sigma, trials, gen):
    """Max contrast t statistic of simulated ANOVA trials, vectorised across trials."""
    k = len(doses)
    means = mu + sigma * gen.standard_normal((trials, k)) / np.sqrt(n)
    df = int(np.sum(n)) - k
    s2 = sigma ** 2 * gen.chisquare(df, trials) / df
    se = np.sqrt(s2[:, None] * np.sum(contrasts ** 2 / n[:, None], axis=0)[None, :])
    return np.max(means @ contrasts / se, axis=1)


def test_optimal_contrast_maximises_the_noncentrality(biom_test):
    S = biom_test.cov
    cm = dr.candidate_models(BIOM_MODELS, BIOM_DOSES)
    mu = cm.mean()
    gen = np.random.default_rng(11)
    c = gen.standard_normal((20000, 5))
    c -= c.mean(axis=1, keepdims=True)
    for j in range(mu.shape[1]):
        def ncp(cc, j=j):
            return cc @ mu[:, j] / np.sqrt(np.einsum("ij,jk,ik->i", cc, S, cc))
        best = ncp(biom_test.contrasts[:, j][None, :])[0]
        random = ncp(c)
        assert np.max(random) <= best + 1e-12
        assert np.max(random) > 0.99 * best  # the search gets close: the optimum is not a fluke
    # constrained: the optimum among contrasts with active coefficients >= 0
    oc = dr.optimal_contrasts(cm, cov=S, constrained=True)
    pos = np.abs(gen.standard_normal((20000, 4)))
    cpos = np.column_stack([-pos.sum(axis=1), pos])
    for j in range(mu.shape[1]):
        def ncp(cc, j=j):
            return cc @ mu[:, j] / np.sqrt(np.einsum("ij,jk,ik->i", cc, S, cc))
        assert np.max(ncp(cpos)) <= ncp(oc.contrasts[:, j][None, :])[0] + 1e-12
        assert np.all(oc.contrasts[1:, j] >= 0)


def test_critical_value_gives_level_alpha_by_simulation(biom_test):
    # T ~ multivariate t(95, R): P(max T >= q) = alpha within 3 Monte Carlo standard errors
    q = dr.critical_value(biom_test.correlation, 0.025, 95)
    gen = np.random.default_rng(2024)
    n = 400_000
    z = gen.standard_normal((n, 4)) @ np.linalg.cholesky(biom_test.correlation).T
    t_max = np.max(z / np.sqrt(gen.chisquare(95, n) / 95)[:, None], axis=1)
    rate = np.mean(t_max >= q)
    assert abs(rate - 0.025) < 3 * math.sqrt(0.025 * 0.975 / n)


def test_power_at_the_null_is_alpha_and_matches_simulated_trials():
    doses = np.array(BIOM_DOSES)
    n = np.full(5, 20.0)
    cm = dr.candidate_models(BIOM_MODELS, BIOM_DOSES, max_effect=0.6)
    oc = dr.optimal_contrasts(cm, weights=n)
    null = dr.power_mct(oc, np.zeros(5), n=20, sigma=1.0)
    assert null.power[0] == pytest.approx(0.025, abs=dr.DEFAULT_ABSEPS)
    gen = np.random.default_rng(7)
    trials = 200_000
    t_max = simulate_max_t(doses, n, oc.contrasts, np.zeros(5), 1.0, trials, gen)
    rate = np.mean(t_max > null.critical_value)
    assert abs(rate - null.power[0]) < 3 * math.sqrt(0.025 * 0.975 / trials)
    alt = dr.power_mct(oc, cm, n=20, sigma=1.0)
    for j, label in enumerate(cm.labels):
        t_max = simulate_max_t(doses, n, oc.contrasts, cm.mean()[:, j], 1.0, trials, gen)
        p = np.mean(t_max > alt.critical_value)
        assert abs(p - alt.power[j]) < 3 * math.sqrt(p * (1 - p) / trials) + alt.error[j], label


# ============================================================================================================
# General approach: arm estimates with a covariance (glycobrom; migraine, a binary endpoint)
# ============================================================================================================

GLYCO_MODELS = {"linear": None, "emax": [5, 20], "sigEmax": (30, 3), "exponential": 80}
# gdose <- glycobrom$dose; gS <- diag(glycobrom$sdev^2)
# gmods <- Mods(linear = NULL, emax = c(5, 20), sigEmax = c(30, 3), exponential = 80, doses = gdose)
# m5 <- MCTtest(gdose, glycobrom$fev1, S = gS, models = gmods, type = "general", critV = TRUE, mvtcontrol = tight)
# (five contrasts on five doses: qr(m5$corMat)$rank = 4)
GLYCO_CONT = [[-0.442628570820173, -0.865969439724955, -0.742944361645699, -0.472816906147263, -0.35744733421961],
              [-0.344471980965743, 0.0281440416480491, -0.206643005442037, -0.465692490978872, -0.325490511877584],
              [-0.162854168682504, 0.18432182517359, 0.0771919188612295, -0.0958540941405139, -0.205002205204559],
              [0.152727040687553, 0.296778070898395, 0.339149173325247, 0.429338835529376, 0.0377418518092837],
              [0.797227679780865, 0.356725502004922, 0.53324627490126, 0.605024655737272, 0.850198199492469]]
GLYCO_T = [6.23214996819628, 7.02012503776356, 7.33812700422104, 6.63930331449118, 5.58483267966908]
GLYCO_P = [5.84172710205166e-10, 1.10833564548329e-12, 1.08246744900953e-13, 2.3416157901579e-11,
           2.22099217905836e-08]
# f <- fitMod(gdose, glycobrom$fev1, S = gS, model = m, type = "general"); coef(f); f$gRSS; gAIC(f);
# TD(f, Delta = 0.05); ED(f, p = 0.5)          (betaMod TD/ED: uniroot at its default tolerance 1.2e-4)
GLYCO_FITS = {
    "linear": {"coefs": [1.28709181246112, 0.00117831821100288], "gRSS": 15.6607519837922,
               "gAIC": 19.6607519837922, "TD005": 42.4333592853873, "ED50": 50.0},
    "emax": {"coefs": [1.24350418729427, 0.169030509821106, 18.0040047578179], "gRSS": 0.613675305559468,
             "gAIC": 6.61367530555947, "TD005": 7.56276890054347, "ED50": 13.2374591922457},
    "sigEmax": {"coefs": [1.24318707975354, 0.180991542078114, 20.7623540596677, 0.872116957513567],
                "gRSS": 0.592527920235092, "gAIC": 8.59252792023509, "TD005": 6.88128842627468,
                "ED50": 12.9661564362489},
    "exponential": {"coefs": [1.29241359731882, 0.172276189069454, 199.99999455343], "gRSS": 18.8096370435154,
                    "gAIC": 24.8096370435154, "TD005": 50.964351443375, "ED50": 56.1859608890626},
    "quadratic": {"coefs": [1.25618856482898, 0.00373469173394818, -2.46273679665436e-05],
                  "gRSS": 2.51643246827258, "gAIC": 8.51643246827258, "TD005": 14.8402502059892,
                  "ED50": 22.2083392086012},
    "betaMod": {"coefs": [1.2432971876255, 0.145724399616414, 0.492384810275348, 0.187630754080209],
                "gRSS": 0.290498758024313, "gAIC": 8.29049875802431, "TD005": 6.18199228303997,
                "ED50": 13.6285413837131},
    "logistic": {"coefs": [1.11475397991997, 0.267375921617217, 0.1, 13.8704153493756], "gRSS": 1.42524066897489,
                 "gAIC": 9.42524066897489, "TD005": 10.8880533554333, "ED50": 15.2441732595737},
    "linlog": {"coefs": [1.23952424298085, 0.0315249849761052], "gRSS": 1.02898157168161,
               "gAIC": 5.02898157168161, "TD005": 3.88438596245762, "ED50": 9.04987562112089},
}
# vcov(fitMod(gdose, glycobrom$fev1, S = gS, model = "emax", type = "general"))
GLYCO_EMAX_VCOV = [[0.000240055038152715, -0.000174641763198705, 0.0670002180441251],
                   [-0.000174641763198705, 0.000743247389638669, 0.138450218322038],
                   [0.0670002180441251, 0.138450218322038, 89.9770597980096]]
# MM5 <- MCPMod(gdose, glycobrom$fev1, S = gS, models = gmods, type = "general", Delta = 0.1, mvtcontrol = tight)
GLYCO_MCPMOD_CRIT = {"linear": 19.6607519837922, "emax": 6.61367530555947, "sigEmax": 8.59252792023509,
                     "exponential": 24.8096370435154}
GLYCO_MCPMOD_TD = {"linear": 84.8667185707746, "emax": 26.0812281474896, "sigEmax": 26.4400877494713,
                   "exponential": 91.5436000544539}


def glyco_cov():
    return np.diag(np.array(GLYCO["sdev"]) ** 2)


def test_general_approach_test_matches_mcttest():
    cm = dr.candidate_models(GLYCO_MODELS, GLYCO["dose"])
    res = dr.mct_test(GLYCO["dose"], GLYCO["fev1"], cm, cov=glyco_cov())
    assert res.kind == "general" and res.df == math.inf
    close(res.contrasts, GLYCO_CONT, 1e-9)
    close(res.t_stats, GLYCO_T, 1e-9)
    # all p-values are tiny (P(max T < t) within 3e-8 of 1): far below either program's error, so they agree to it
    close(res.p_values, GLYCO_P, dr.DEFAULT_ABSEPS)
    assert np.all(res.p_values < 1e-6)


@pytest.mark.parametrize("model", list(GLYCO_FITS))
def test_general_approach_fits_match_fitmod(model):
    ref = GLYCO_FITS[model]
    fit = dr.fit_model(GLYCO["dose"], GLYCO["fev1"], model, cov=glyco_cov())
    np.testing.assert_allclose(fit.coefs, ref["coefs"], rtol=1e-5, atol=1e-12)
    assert fit.rss == pytest.approx(ref["gRSS"], abs=1e-9)
    assert fit.gaic() == pytest.approx(ref["gAIC"], abs=1e-9)
    tol = {"abs": 1.2e-4} if model == "betaMod" else {"rel": 1e-6}
    assert fit.target_dose(0.05) == pytest.approx(ref["TD005"], **tol)
    assert fit.effective_dose(0.5) == pytest.approx(ref["ED50"], **tol)
    if model == "emax":
        np.testing.assert_allclose(fit.vcov(), GLYCO_EMAX_VCOV, rtol=1e-4)


def test_critical_value_of_a_singular_correlation_matches_the_root():
    # qroot(m5$corMat, 0.025, 0) = 2.28409277063662 (m5: the glycobrom test above; critVal gives 2.28427795850349)
    cm = dr.candidate_models(GLYCO_MODELS, GLYCO["dose"])
    res = dr.mct_test(GLYCO["dose"], GLYCO["fev1"], cm, cov=glyco_cov())
    assert dr.critical_value(res.correlation, 0.025) == pytest.approx(2.28409277063662, abs=2e-4)


def test_general_approach_mcpmod_selects_by_gaic():
    cm = dr.candidate_models(GLYCO_MODELS, GLYCO["dose"])
    res = dr.mcpmod(GLYCO["dose"], GLYCO["fev1"], cm, cov=glyco_cov(), delta=0.1)
    assert res.selected == "emax"
    for m in GLYCO_MCPMOD_CRIT:
        assert res.criteria[m] == pytest.approx(GLYCO_MCPMOD_CRIT[m], abs=1e-9)
        assert res.dose_estimates[m] == pytest.approx(GLYCO_MCPMOD_TD[m], rel=1e-6)
    assert res.to_frame().columns[1] == "gAIC"


# ============================================================================================================
# Bootstrap
# ============================================================================================================

def test_bootstrap_is_seeded_and_summarises(biom_mcpmod):
    a = dr.bootstrap_mcpmod(biom_mcpmod, n_trials=300, seed=5)
    b = dr.bootstrap_mcpmod(biom_mcpmod, n_trials=300, seed=5)
    assert a.seed == 5 and a.n_trials == 300
    close(a.combined, b.combined, 0)
    assert set(a.samples) == {"linear", "emax", "linInt"}
    assert sum(a.chosen.values()) == pytest.approx(1.0)
    finite = a.combined[np.isfinite(a.combined)]
    assert finite.size > 150
    assert np.quantile(finite, 0.05) < biom_mcpmod.dose_estimate < np.quantile(finite, 0.95)
    for lang in LANGS:
        frame = a.to_frame(lang)
        assert frame.shape == (4, 2 + len(a.probs))
        qs = frame.iloc[:, 2:].to_numpy(dtype=float)
        assert np.all(np.diff(qs[np.all(np.isfinite(qs), axis=1)], axis=1) >= 0)
        bands = a.curve_quantiles(lang)
        assert bands.shape == (51, 1 + len(a.probs))


def test_bootstrap_refits_agree_with_fit_model():
    doses, est = np.array(BIOM_DOSES, dtype=float), np.array([0.34, 0.46, 0.81, 0.93, 0.95])
    S = np.diag(np.full(5, 0.5 / 20))
    gen = np.random.default_rng(3)
    Y = est + gen.standard_normal((20, 5)) @ np.linalg.cholesky(S).T
    wh = np.linalg.cholesky(np.linalg.inv(S)).T
    for model in ("quadratic", "emax", "sigEmax", "logistic"):
        bnds = dr._bounds_for(model, None, 1.0)
        par, grss = dr._batch_fit(model, doses, Y, wh, bnds, 0.01, 1.2)
        ref = [dr.fit_model(doses, y, model, cov=S) for y in Y]
        rss = np.array([f.rss for f in ref])
        # never worse than the scalar fit by more than rounding in most replicates; it may find a lower minimum
        assert np.mean(grss <= rss + 1e-6) >= 0.95, model
        if model in dr.LINEAR_MODELS or model in ("emax", "exponential"):
            close(par, np.stack([f.coefs for f in ref]), 1e-6)


def _sigemax_replicates(n_rows: int, seed: int):
    """Trial-like replicates of the IBS planning design (four doses and placebo, 60 per arm) under several true
    shapes, with the profile of their sigEmax fits; the start is the best lattice point, as in _batch_fit."""
    doses = np.array([0.0, 1.0, 2.0, 3.0, 4.0])
    truths = np.array([[0, 0.05, 0.10, 0.15, 0.20], [0, 0.24, 0.29, 0.31, 0.32], [0, 0.02, 0.12, 0.26, 0.30],
                       [0, 0.0, 0.0, 0.3, 0.3], [0, 0.0, 0.0, 0.0, 0.0]])
    gen = np.random.default_rng(seed)
    mu = truths[np.arange(n_rows) % len(truths)]
    Y = mu + 0.76 / math.sqrt(60) * gen.standard_normal((n_rows, 5))
    wh = np.diag(np.full(5, math.sqrt(60)))
    bnds = dr._bounds_for("sigEmax", None, 4.0)
    prof = dr._BatchProfile("sigEmax", doses, Y, wh, None)
    nodes = dr._glp_grid(bnds, dr._BOOT_GRID_2D)
    return prof, nodes[prof.best_node(nodes)].copy(), bnds


def test_sigemax_profile_derivatives_match_finite_differences():
    prof, start, _ = _sigemax_replicates(40, seed=8)
    log_dose = np.log(np.where(prof.doses > 0, prof.doses, np.nan))
    log_dose[prof.doses == 0] = -np.inf
    rows = np.arange(40)
    gen = np.random.default_rng(9)
    c, h = gen.uniform(-3.0, 1.5, 40), gen.uniform(0.5, 10.0, 40)
    R, g, H = dr._sigemax_terms(prof, log_dose, c, h, rows)
    close(R, prof.rss(np.column_stack([np.exp(c), h]), rows), 1e-12)
    e = 1e-6
    for k, (dc, dh) in enumerate(((e, 0.0), (0.0, e))):
        up = dr._sigemax_terms(prof, log_dose, c + dc, h + dh, rows)
        down = dr._sigemax_terms(prof, log_dose, c - dc, h - dh, rows)
        scale = 1.0 + np.abs(H).max(axis=(1, 2))
        assert np.all(np.abs((up[0] - down[0]) / (2 * e) - g[:, k]) <= 1e-5 * (1 + np.abs(g[:, k])))
        assert np.all(np.abs((up[1] - down[1]) / (2 * e) - H[:, :, k]).max(axis=1) <= 1e-4 * scale)


def test_sigemax_newton_is_never_worse_than_the_compass_search_and_stops_at_a_stationary_point():
    prof, start, bnds = _sigemax_replicates(1500, seed=2026)
    newton = dr._batch_newton_sigemax(prof, start.copy(), bnds)
    compass = dr._batch_minimise_2d(prof, start.copy(), bnds)  # the general two-parameter search
    r_new, r_old = prof.rss(newton), prof.rss(compass)
    assert np.all(r_new <= r_old + 1e-12 * (1 + r_old))
    # first-order conditions in (log ED50, h): zero gradient, or a bound with the gradient pointing outwards
    lower = np.array([math.log(bnds[0, 0]), bnds[1, 0]])  # (log ED50, h)
    upper = np.array([math.log(bnds[0, 1]), bnds[1, 1]])
    p = np.column_stack([np.log(newton[:, 0]), newton[:, 1]])
    log_dose = np.log(np.where(prof.doses > 0, prof.doses, np.nan))
    log_dose[prof.doses == 0] = -np.inf
    _, g, H = dr._sigemax_terms(prof, log_dose, p[:, 0], p[:, 1], np.arange(p.shape[0]))
    at_lower = np.isclose(p, lower, rtol=0, atol=1e-9) & (g > 0)
    at_upper = np.isclose(p, upper, rtol=0, atol=1e-9) & (g < 0)
    free = ~(at_lower | at_upper)
    curvature = np.sqrt(np.abs(H[:, [0, 1], [0, 1]])) + 1e-300
    assert np.all(np.abs(np.where(free, g, 0.0)) / curvature <= 1e-5)  # every replicate


# ============================================================================================================
# Properties
# ============================================================================================================

@settings(max_examples=40, deadline=None)
@given(ed50=st.floats(0.01, 2.0), h=st.floats(0.5, 8.0), d1=st.floats(0.01, 0.5), d2=st.floats(0.51, 0.99))
def test_target_dose_increases_with_delta(ed50, h, d1, d2):
    par = np.array([0.0, 1.0, ed50, h])
    a = dr._td("sigEmax", par, d1, "increasing", None, None, None)
    b = dr._td("sigEmax", par, d2, "increasing", None, None, None)
    assert 0 < a < b
    assert dr.model_mean("sigEmax", b, par)[()] == pytest.approx(d2, rel=1e-9)


@settings(max_examples=30, deadline=None)
@given(shift=st.floats(-2.0, 2.0), scale=st.floats(0.2, 3.0))
def test_contrasts_do_not_depend_on_placebo_or_effect_size(shift, scale):
    a = dr.optimal_contrasts(dr.candidate_models(BIOM_MODELS, BIOM_DOSES))
    b = dr.optimal_contrasts(dr.candidate_models(BIOM_MODELS, BIOM_DOSES, placebo_effect=shift, max_effect=scale))
    close(a.contrasts, b.contrasts, 1e-12)


def test_p_values_are_probabilities_decreasing_in_t(biom_test):
    order = np.argsort(biom_test.t_stats)
    p = biom_test.p_values[order]
    assert np.all((p >= 0) & (p <= 1))
    assert np.all(np.diff(p) <= 1e-12)


def test_no_signal_gives_no_fits():
    gen = np.random.default_rng(1)
    dose = np.repeat(BIOM_DOSES, 10)
    y = -0.5 * dose + gen.normal(0, 1, dose.size)  # effect in the wrong direction
    res = dr.mcpmod(dose, y, dr.candidate_models(MCPMOD_MODELS, BIOM_DOSES), delta=0.3)
    assert not res.significant and res.selected is None and res.dose_estimate is None
    assert res.to_frame().shape[0] == 0
    with pytest.raises(ValueError, match="no contrast was significant"):
        res.predict([0, 1])
    with pytest.raises(ValueError, match="result"):
        dr.bootstrap_mcpmod(res)


# ============================================================================================================
# Bad input
# ============================================================================================================

CM = dr.candidate_models(MCPMOD_MODELS, BIOM_DOSES)
DOSE = np.repeat(BIOM_DOSES, 4)
RESP = np.linspace(0, 1, DOSE.size)

BAD = [
    (lambda: dr.candidate_models({"linear": None}, [0, 0.6, 0.2]), ValueError, "doses"),
    (lambda: dr.candidate_models({"linear": None}, [0.1, 0.5, 1]), ValueError, "doses"),
    (lambda: dr.candidate_models({"emaxx": 0.2}, [0, 1]), ValueError, "models"),
    (lambda: dr.candidate_models({"emax": -0.2}, [0, 1]), ValueError, "models"),
    (lambda: dr.candidate_models({"linInt": [1, 1]}, [0, 0.5, 1, 2]), ValueError, "models"),
    (lambda: dr.candidate_models({"linear": 0.3}, [0, 1]), ValueError, "models"),
    (lambda: dr.candidate_models({"emax": "a"}, [0, 1]), TypeError, "models"),
    (lambda: dr.candidate_models([("emax", 0.2)], [0, 1]), TypeError, "models"),
    (lambda: dr.candidate_models({"emax": 0.2}, [0, 1], direction="up"), ValueError, "direction"),
    (lambda: dr.candidate_models({"emax": 0.2}, [0, 1], max_effect=-1, direction="decreasing",
                                 placebo_effect=float("nan")), ValueError, "placebo_effect"),
    (lambda: dr.mct_test(DOSE + 0.1, RESP, CM), ValueError, "dose"),
    (lambda: dr.mct_test(np.append(DOSE, 2.0), np.append(RESP, 1.0), CM), ValueError, "dose"),
    (lambda: dr.mct_test(DOSE, RESP[:-1], CM), ValueError, "response"),
    (lambda: dr.mct_test(DOSE, np.where(RESP > 0.5, np.nan, RESP), CM), ValueError, "response"),
    (lambda: dr.mct_test(np.where(DOSE > 0.5, np.nan, DOSE), RESP, CM), ValueError, "dose"),
    (lambda: dr.mct_test(DOSE, RESP, CM, alpha=1.5), ValueError, "alpha"),
    (lambda: dr.mct_test(DOSE, RESP, CM, alternative="less"), ValueError, "alternative"),
    (lambda: dr.mct_test(DOSE, RESP, {"linear": None}), TypeError, "models"),
    (lambda: dr.mct_test(DOSE, RESP, CM, df=10), ValueError, "df"),
    (lambda: dr.mct_test(BIOM_DOSES, [0, 1, 2, 3, 4], CM, cov=-np.eye(5)), ValueError, "cov"),
    (lambda: dr.mct_test(BIOM_DOSES, [0, 1, 2, 3, 4], CM, cov=np.eye(4)), ValueError, "cov"),
    (lambda: dr.mct_test([0, 0.2, 0.05, 0.6, 1], [0, 1, 2, 3, 4], CM, cov=np.eye(5)), ValueError, "dose"),
    (lambda: dr.fit_model(DOSE, RESP, "Emax"), ValueError, "model"),
    (lambda: dr.fit_model(DOSE, RESP, "emax", bounds=[2, 1]), ValueError, "bounds"),
    (lambda: dr.fit_model(DOSE, RESP, "sigEmax", bounds=[0.1, 1]), ValueError, "bounds"),
    (lambda: dr.mcpmod(DOSE, RESP, CM), ValueError, "delta"),
    (lambda: dr.mcpmod(DOSE, RESP, CM, delta=0.2, p=0.5), ValueError, "delta"),
    (lambda: dr.mcpmod(DOSE, RESP, CM, delta=-0.2), ValueError, "delta"),
    (lambda: dr.mcpmod(DOSE, RESP, CM, p=1.2), ValueError, "p"),
    (lambda: dr.mcpmod(DOSE, RESP, CM, delta=0.2, selection="AICc"), ValueError, "selection"),
    (lambda: dr.mcpmod(BIOM_DOSES, [0, 1, 2, 3, 4], CM, cov=np.eye(5), delta=0.2, selection="BIC"), ValueError,
     "selection"),
    (lambda: dr.mcpmod(DOSE, RESP, CM, delta=0.2, bounds={"linear": [0, 1]}), ValueError, "bounds"),
    (lambda: dr.optimal_contrasts(CM, weights=[1, 2], cov=np.eye(5)), ValueError, "weights"),
    (lambda: dr.optimal_contrasts(CM, weights=[1, 2, 3]), ValueError, "weights"),
    (lambda: dr.power_mct(dr.optimal_contrasts(CM), CM, n=1, sigma=1), ValueError, "n"),
    (lambda: dr.power_mct(dr.optimal_contrasts(CM), CM, n=10, sigma=0), ValueError, "sigma"),
    (lambda: dr.power_mct(dr.optimal_contrasts(CM), CM, n=10), ValueError, "sigma"),
    (lambda: dr.power_mct(dr.optimal_contrasts(CM), np.zeros(3), n=10, sigma=1), ValueError, "alternatives"),
    (lambda: dr.sample_size_mct(dr.optimal_contrasts(CM), CM, sigma=1, power=1.0), ValueError, "power"),
    (lambda: dr.guesstimate("emax", 0.3, 0.0), ValueError, "p"),
    (lambda: dr.guesstimate("emax", [0.3, 0.4], [0.5]), ValueError, "p"),
    (lambda: dr.guesstimate("exponential", 0.8, 0.5), ValueError, "max_dose"),
    (lambda: dr.guesstimate("linear", 0.8, 0.5), ValueError, "model"),
    (lambda: dr.model_mean("emax", [0, -1], [0, 1, 0.2]), ValueError, "dose"),
    (lambda: dr.model_mean("emax", [0, 1], [0, 1]), ValueError, "params"),
    (lambda: dr.model_mean("betaMod", [0, 1], [0, 1, 1, 1]), ValueError, "scal"),
    (lambda: dr.mvt_probability([0, 0], np.array([[1, 2], [2, 1]])), ValueError, "corr"),
    (lambda: dr.mvt_probability([0, 0, 0], np.eye(2)), ValueError, "upper"),
    (lambda: dr.critical_value(np.eye(2), alpha=0), ValueError, "alpha"),
    (lambda: dr.logit_estimates([0, 1], [0, 5], [10, 10]), ValueError, "events"),
    (lambda: dr.logit_estimates([0, 1], [1.5, 5], [10, 10]), TypeError, "events"),
    (lambda: dr.logit_estimates([0, 1], [3, 12], [10, 10]), ValueError, "events"),
]


@pytest.mark.parametrize("call, error, name", BAD)
def test_bad_input_is_refused_with_the_argument_named(call, error, name):
    with pytest.raises(error, match=name):
        call()


def test_bootstrap_refuses_bad_sizes(biom_mcpmod):
    with pytest.raises(ValueError, match="n_trials"):
        dr.bootstrap_mcpmod(biom_mcpmod, n_trials=5)
    with pytest.raises(ValueError, match="probs"):
        dr.bootstrap_mcpmod(biom_mcpmod, probs=[0.5, 1.5])
    with pytest.raises(TypeError, match="seed"):
        dr.bootstrap_mcpmod(biom_mcpmod, seed="x")


MIGRAINE_MODELS = {"emax": [5, 30], "sigEmax": (40, 3), "linear": None, "exponential": 150}
# PFrate <- migraine$painfree/migraine$ntrt                                   (as in ?fitMod)
# fitBin <- glm(PFrate ~ as.factor(migraine$dose) - 1, family = binomial, weights = migraine$ntrt)
# drEst <- coef(fitBin); vCov <- vcov(fitBin)          (diagonal; glm's IRLS stops at a relative 1e-8)
MIGRAINE_EST = [-2.22254238532051, -1.94591014904656, -2.05412373369314, -1.07755887947028, -1.44691898293633,
                -1.29276830310907, -1.16760516015506, -0.566395474920801]
MIGRAINE_VAR = [0.0852564047351365, 0.285713250433093, 0.225640590862796, 0.0837765956454463, 0.102941174768916,
                0.0910364140880878, 0.0936507933617548, 0.0746460746455243]
# mmods <- Mods(emax = c(5, 30), sigEmax = c(40, 3), linear = NULL, exponential = 150, doses = migraine$dose,
#               placEff = qlogis(0.1), maxEff = qlogis(0.35) - qlogis(0.1))
# m6 <- MCTtest(migraine$dose, drEst, S = vCov, models = mmods, type = "general", critV = TRUE, mvtcontrol = tight)
MIGRAINE_T = [4.03049578510517, 3.95394417257588, 3.34380878315264, 3.70255513199232, 3.5678523308863]
MIGRAINE_P_R = [7.14206433212183e-05, 0.000106179029949027, 0.00114444613179543, 0.000309888603624131,
                0.000516286371113117]
# The contrast correlation is nearly singular here (smallest eigenvalue 6e-4) and lattice rules converge slowly;
# the tight R values are off by up to 1.5e-5.  Truth by simulation (2e8 draws Z ~ N(0, vCov), numpy seed 99,
# P(max_m c_m'Z / sd_m >= t_m)), standard errors 7e-7 to 2.4e-6.  Computed once with numpy:
#   gen = np.random.default_rng(99); C = contrasts / sd; in 40 chunks z = gen.standard_normal((5_000_000, 8))
#   @ np.linalg.cholesky(vCov).T; count max(z @ C, axis=1) >= t_m       (too slow for a test: 2e8 draws)
MIGRAINE_P_MC = [8.6165e-05, 1.170650e-04, 1.145785e-03, 3.134100e-04, 5.170750e-04]
MIGRAINE_P_MC_SE = [6.6e-07, 7.7e-07, 2.4e-06, 1.3e-06, 1.6e-06]
# fitMod(migraine$dose, drEst, S = vCov, model = "emax", type = "general", bnds = c(0.2, 300)); coef(); gAIC()
MIGRAINE_EMAX = [-2.21929868909389, 1.38726269767891, 8.47326011862111]
MIGRAINE_EMAX_GAIC = 11.4490443961612
# MM6 <- MCPMod(migraine$dose, drEst, S = vCov, models = mmods, type = "general", Delta = 0.5,
#               selModel = "aveAIC", mvtcontrol = tight); MM6$selMod; MM6$doseEst; MM6$modcrit
MIGRAINE_WEIGHTS = {"emax": 0.411869533453109, "sigEmax": 0.227343930628976, "linear": 0.27519742428847,
                    "exponential": 0.0855891116294452}
MIGRAINE_TD = {"emax": 4.77494441093221, "sigEmax": 4.50572732842323, "linear": 84.6895084485232,
               "exponential": 98.1600813984942}
MIGRAINE_GAIC = {"emax": 11.4490443961612, "sigEmax": 12.6375296942919, "linear": 12.2554801686126,
                 "exponential": 14.5913415128768}


def migraine_models():
    return dr.candidate_models(MIGRAINE_MODELS, MIGRAINE["dose"], placebo_effect=math.log(0.1 / 0.9),
                               max_effect=math.log(0.35 / 0.65) - math.log(0.1 / 0.9))


def test_logit_estimates_match_glm():
    est = dr.logit_estimates(MIGRAINE["dose"], MIGRAINE["painfree"], MIGRAINE["ntrt"])
    close(est.estimates, MIGRAINE_EST, 1e-9)
    np.testing.assert_allclose(np.diag(est.cov), MIGRAINE_VAR, rtol=2e-5)  # glm's convergence tolerance
    assert np.count_nonzero(est.cov - np.diag(np.diag(est.cov))) == 0


def test_binary_endpoint_by_the_general_approach():
    cm = migraine_models()
    S = np.diag(MIGRAINE_VAR)
    res = dr.mct_test(MIGRAINE["dose"], MIGRAINE_EST, cm, cov=S, abseps=1e-5)
    close(res.t_stats, MIGRAINE_T, 1e-9)
    for p, p_mc, se in zip(res.p_values, MIGRAINE_P_MC, MIGRAINE_P_MC_SE):
        assert abs(p - p_mc) < 1e-5 + 3 * se
    close(res.p_values, MIGRAINE_P_R, 2e-5)
    fit = dr.fit_model(MIGRAINE["dose"], MIGRAINE_EST, "emax", cov=S, bounds=[0.2, 300])
    np.testing.assert_allclose(fit.coefs, MIGRAINE_EMAX, rtol=1e-6)
    assert fit.gaic() == pytest.approx(MIGRAINE_EMAX_GAIC, abs=1e-9)
    ave = dr.mcpmod(MIGRAINE["dose"], MIGRAINE_EST, cm, cov=S, delta=0.5, selection="aveAIC", abseps=1e-3)
    for m in MIGRAINE_WEIGHTS:
        assert ave.weights[m] == pytest.approx(MIGRAINE_WEIGHTS[m], abs=1e-9)
        assert ave.dose_estimates[m] == pytest.approx(MIGRAINE_TD[m], rel=1e-6)
        assert ave.criteria[m] == pytest.approx(MIGRAINE_GAIC[m], abs=1e-9)


# ============================================================================================================
# Many-to-one (Dunnett) contrasts and simulated MCP-Mod trials
# ============================================================================================================

IBS_SHAPES = {"linear": None, "emax": 0.5, "sigEmax": (2, 4), "exponential": 2}
# m <- Mods(linear = NULL, emax = 0.5, sigEmax = c(2, 4), exponential = 2, doses = 0:4)
# D <- cbind(c(-1,1,0,0,0), c(-1,0,1,0,0), c(-1,0,0,1,0), c(-1,0,0,0,1)) / sqrt(2); rownames(D) <- 0:4
# t2 <- MCTtest(dose, resp, IBScovars, models = m, contMat = D, critV = TRUE, mvtcontrol = tight)
IBS_DUNNETT_T = [2.27501748861857, 2.35082170116458, 2.74930714062451, 2.73588895054969]
IBS_DUNNETT_P = [0.0385778313821886, 0.0320762883772142, 0.0110851801023647, 0.0115176198355262]
# alt <- Mods(..., doses = 0:4, placEff = 0, maxEff = 0.35)
# powMCT(D, altModels = alt, n = 75, sigma = 0.76, alpha = 0.025, control = tight)
IBS_DUNNETT_POWER75 = [0.713418954803363, 0.844412403931664, 0.757855929928670, 0.665347251676663]


def test_many_to_one_contrasts_are_dunnett():
    many = dr.many_to_one_contrasts([0, 1, 2, 3, 4])
    close(many.correlation, 0.5 * (np.eye(4) + 1), 1e-12)
    close(many.contrasts.sum(axis=0), np.zeros(4), 1e-12)
    res = dr.mct_test(IBS["dose"], IBS["resp"], dr.candidate_models(IBS_SHAPES, [0, 1, 2, 3, 4]), contrasts=many)
    close(res.t_stats, IBS_DUNNETT_T, 1e-9)
    close(res.p_values, IBS_DUNNETT_P, dr.DEFAULT_ABSEPS)
    # scipy's own implementation of Dunnett's test (its multivariate t by randomised QMC)
    from scipy import stats
    dose, resp = np.array(IBS["dose"]), np.array(IBS["resp"])
    sp = stats.dunnett(*[resp[dose == d] for d in (1, 2, 3, 4)], control=resp[dose == 0], alternative="greater",
                       random_state=np.random.default_rng(1))
    close(sp.statistic, IBS_DUNNETT_T, 1e-9)
    close(sp.pvalue, IBS_DUNNETT_P, 2e-4)
    alt = dr.candidate_models(IBS_SHAPES, [0, 1, 2, 3, 4], max_effect=0.35)
    close(dr.power_mct(many, alt, n=75, sigma=0.76).power, IBS_DUNNETT_POWER75, 5e-4)
    # unequal arms: corr = sqrt(n_i n_j / ((n0 + n_i)(n0 + n_j)))
    w = np.array([10.0, 20, 40])
    r = dr.many_to_one_contrasts([0, 1, 2], weights=w).correlation[0, 1]
    assert r == pytest.approx(math.sqrt(20 * 40 / (30 * 50)), abs=1e-12)
    with pytest.raises(ValueError, match="doses"):
        dr.many_to_one_contrasts([1, 2])


def test_simulated_mcpmod_holds_the_level_and_matches_the_power():
    cm = dr.candidate_models(IBS_SHAPES, [0, 1, 2, 3, 4])
    null = dr.simulate_mcpmod(cm, np.zeros(5), n=30, sigma=1.0, delta=0.3, n_trials=20000, seed=11)
    assert abs(null.power - 0.025) < 3 * math.sqrt(0.025 * 0.975 / 20000)
    assert null.critical_value == pytest.approx(dr.critical_value(dr.optimal_contrasts(cm).correlation, 0.025, 145),
                                                abs=1e-3)
    alt = dr.candidate_models(IBS_SHAPES, [0, 1, 2, 3, 4], max_effect=0.35)
    exact = dr.power_mct(dr.optimal_contrasts(cm), alt, n=40, sigma=0.76).power
    for j in range(4):
        sim = dr.simulate_mcpmod(cm, alt.mean()[:, j], n=40, sigma=0.76, delta=0.25, n_trials=4000, seed=j)
        assert abs(sim.power - exact[j]) < 3 * math.sqrt(exact[j] * (1 - exact[j]) / 4000) + 1e-3
        assert sim.selected[~sim.significant].tolist() == [-1] * int(np.sum(~sim.significant))
        assert np.all(np.isnan(sim.dose_estimate[~sim.significant]))
        assert sum(sim.selection_shares().values()) == pytest.approx(sim.power)
    a = dr.simulate_mcpmod(cm, alt.mean()[:, 1], n=40, sigma=0.76, delta=0.25, n_trials=300, seed=5)
    b = dr.simulate_mcpmod(cm, alt.mean()[:, 1], n=40, sigma=0.76, delta=0.25, n_trials=300, seed=5,
                           critical=a.critical_value)
    close(a.dose_estimate, b.dose_estimate, 0)
    with pytest.raises(ValueError, match="true_means"):
        dr.simulate_mcpmod(cm, np.zeros(4), n=30, sigma=1.0, delta=0.3)
    with pytest.raises(ValueError, match="delta"):
        dr.simulate_mcpmod(cm, np.zeros(5), n=30, sigma=1.0, delta=0.0)
