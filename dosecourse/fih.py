"""First-in-human (FIH) starting dose: NOAEL -> HED -> MRSD, ICH S9 for anticancer drugs, MABEL and PAD.

The FDA 2005 algorithm for healthy volunteers: take the NOAEL of each species, convert it to a human equivalent
dose (HED) through body-surface area (:func:`km_factor`, :func:`human_equivalent_dose`), choose the most
appropriate species (by default the most sensitive, i.e. the lowest HED), divide by a safety factor (default 10)
to get the maximum recommended starting dose (MRSD), then compare with the pharmacologically active dose (PAD):
:func:`mrsd`.  For anticancer drugs ICH S9 starts at 1/10 of the rodent STD10 or 1/6 of the non-rodent HNSTD,
whichever is lower in mg/m^2 (:func:`s9_starting_dose`).  For high-risk biologics the minimal anticipated
biological effect level (MABEL) starts from receptor occupancy or an in-vitro EC10-EC20
(:func:`mabel_concentration`, :func:`mabel_dose`, :func:`dose_from_concentration`).  :func:`compare_starting_doses`
sets all estimates for one molecule side by side and takes the lowest, as the EMA FIH guideline advises when
approaches disagree.

Doses are in mg/kg unless a name says otherwise (``_mg_per_m2``, ``_mg``).  Reference human: 60 kg, 1.62 m^2,
Km = 37 (FDA 2005, Table 1).

References
----------
FDA (CDER). Guidance for Industry: Estimating the Maximum Safe Starting Dose in Initial Clinical Trials for
Therapeutics in Adult Healthy Volunteers. July 2005. https://www.fda.gov/media/72309/download
Nair AB, Jacob S. A simple practice guide for dose conversion between animals and human. J Basic Clin Pharm.
2016;7(2):27-31. doi:10.4103/0976-0105.177703 (PMID 27057123)
ICH S9. Nonclinical Evaluation for Anticancer Pharmaceuticals. Step 4, 29 October 2009.
EMA (CHMP). Guideline on strategies to identify and mitigate risks for first-in-human and early clinical trials
with investigational medicinal products. EMEA/CHMP/SWP/28367/07 Rev. 1, 2017.
Muller PY, Brennan FR. Safety assessment and dose selection for first-in-human clinical trials with
immunomodulatory monoclonal antibodies. Clin Pharmacol Ther. 2009;85(3):247-258. doi:10.1038/clpt.2008.273
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd

from . import _validate
from .i18n import check_lang, t
from .pd import concentration_for_occupancy

HUMAN_WEIGHT_KG = 60.0
"""Reference adult body weight of the FDA 2005 guidance, kg."""

HUMAN_BSA_M2 = 1.62
"""Reference adult body-surface area of the FDA 2005 guidance, m^2."""

PLASMA_VOLUME_L_PER_KG = 0.04
"""Human plasma volume used to turn a MABEL concentration of an antibody into a dose, L/kg."""

IGG_MOLECULAR_WEIGHT = 150_000.0
"""Molecular weight of a typical IgG antibody, g/mol."""


@dataclass(frozen=True)
class Species:
    """One row of the FDA 2005 guidance's Table 1.

    Attributes
    ----------
    key : str
        Canonical name used by this module (e.g. ``"guinea pig"``).
    weight_kg : float
        Reference body weight, kg.
    bsa_m2 : float
        Body-surface area at that weight, m^2.
    km : float
        Km = weight / BSA, kg/m^2: multiply a dose in mg/kg by Km to get mg/m^2.
    """

    key: str
    weight_kg: float
    bsa_m2: float
    km: float


SPECIES: Mapping[str, Species] = MappingProxyType({s.key: s for s in (
    Species("human", 60.0, 1.62, 37.0),
    Species("child", 20.0, 0.80, 25.0),
    Species("mouse", 0.02, 0.007, 3.0),
    Species("hamster", 0.08, 0.016, 5.0),
    Species("rat", 0.15, 0.025, 6.0),
    Species("ferret", 0.30, 0.043, 7.0),
    Species("guinea pig", 0.40, 0.05, 8.0),
    Species("rabbit", 1.8, 0.15, 12.0),
    Species("dog", 10.0, 0.50, 20.0),
    Species("monkey", 3.0, 0.25, 12.0),
    Species("marmoset", 0.35, 0.06, 6.0),
    Species("squirrel monkey", 0.60, 0.09, 7.0),
    Species("baboon", 12.0, 0.60, 20.0),
    Species("micro-pig", 20.0, 0.74, 27.0),
    Species("mini-pig", 40.0, 1.14, 35.0),
)})
"""FDA 2005 Table 1 (as reproduced by Nair & Jacob 2016): reference weight, BSA and Km of each species.
"monkey" is the rhesus monkey of the table."""

ANIMAL_SPECIES: tuple[str, ...] = tuple(k for k in SPECIES if k not in ("human", "child"))
"""Species whose doses convert to a human equivalent dose."""

RODENTS: tuple[str, ...] = ("mouse", "hamster", "rat", "guinea pig")
"""Rodents of Table 1 (ICH S9 uses the STD10 in rodents, the HNSTD in non-rodents)."""


def _squash(name: str) -> str:
    """``name`` in lower case without spaces, hyphens or underscores, for forgiving species look-up."""
    return re.sub(r"[\s_\-]+", "", name.lower())


_LOOKUP = {_squash(k): k for k in SPECIES} | {
    "humanadult": "human", "adult": "human", "humanchild": "child", "rhesus": "monkey", "rhesusmonkey": "monkey",
    "monkeys": "monkey"}


def _species(name: str, *, allowed: tuple[str, ...] = tuple(SPECIES), argument: str = "species") -> str:
    """Canonical species key for ``name`` (case, spaces, hyphens and underscores ignored), or a clear error."""
    if not isinstance(name, str):
        raise TypeError(f"{argument} must be a species name, one of {list(allowed)}; got {name!r}")
    key = _LOOKUP.get(_squash(name))
    if key not in allowed:
        raise ValueError(f"{argument} must be one of {list(allowed)}; got {name!r}")
    return key


def km_factor(species: str) -> float:
    """Km factor (body weight / body-surface area) of a species, from the FDA 2005 guidance's Table 1.

    Parameters
    ----------
    species : str
        One of :data:`SPECIES` (``"human"``, ``"child"``, ``"mouse"``, ``"hamster"``, ``"rat"``, ``"ferret"``,
        ``"guinea pig"``, ``"rabbit"``, ``"dog"``, ``"monkey"`` (rhesus), ``"marmoset"``, ``"squirrel monkey"``,
        ``"baboon"``, ``"micro-pig"``, ``"mini-pig"``); case, spaces and hyphens are ignored.

    Returns
    -------
    float
        Km in kg/m^2.

    Raises
    ------
    ValueError
        If the species is not in the table (the message lists the valid names).
    TypeError
        If ``species`` is not a string.

    Notes
    -----
    .. math:: K_m = \\frac{W\\,[\\mathrm{kg}]}{BSA\\,[\\mathrm{m^2}]}, \\qquad
              \\mathrm{dose}\\,[\\mathrm{mg/m^2}] = K_m \\times \\mathrm{dose}\\,[\\mathrm{mg/kg}]

    References
    ----------
    FDA 2005 guidance, Table 1; Nair AB, Jacob S. J Basic Clin Pharm. 2016;7(2):27-31.
    doi:10.4103/0976-0105.177703

    Examples
    --------
    >>> km_factor("rat"), km_factor("Guinea_Pig"), km_factor("human")
    (6.0, 8.0, 37.0)
    """
    return SPECIES[_species(species)].km


def human_equivalent_dose(dose_mg_per_kg: float, species: str) -> float:
    """Human equivalent dose (mg/kg) of an animal dose, by body-surface-area (Km) scaling.

    Parameters
    ----------
    dose_mg_per_kg : float
        Animal dose, e.g. a NOAEL, in mg/kg (>= 0).
    species : str
        Animal species of Table 1 (see :data:`ANIMAL_SPECIES`).

    Returns
    -------
    float
        HED in mg/kg for a 60-kg adult.

    Raises
    ------
    ValueError
        If the dose is negative or the species is not an animal of Table 1.
    TypeError
        If an argument has the wrong type.

    Notes
    -----
    .. math:: HED = D_{animal} \\times K_{m,animal} / K_{m,human}, \\qquad K_{m,human} = 37

    The guidance's "divide the animal dose by" column (rat 6.2, dog 1.8, ...) is 37/Km rounded to one decimal
    (dog and baboon are listed as 1.8 for 37/20 = 1.85), so it can differ from this exact ratio by up to 3%.

    References
    ----------
    FDA 2005 guidance, section V.A and Table 1; Nair AB, Jacob S. J Basic Clin Pharm. 2016;7(2):27-31.
    doi:10.4103/0976-0105.177703

    Examples
    --------
    >>> round(human_equivalent_dose(50.0, "rat"), 2)   # 50 x 6 / 37
    8.11
    """
    dose = _validate.positive(dose_mg_per_kg, "dose_mg_per_kg", allow_zero=True)
    key = _species(species, allowed=ANIMAL_SPECIES)
    return dose * SPECIES[key].km / SPECIES["human"].km


def hed_by_body_weight(dose_mg_per_kg: float, animal_weight_kg: float,
                       human_weight_kg: float = HUMAN_WEIGHT_KG, exponent: float = 0.33) -> float:
    """Human equivalent dose from the actual animal weight, by the guidance's body-weight power formula.

    Parameters
    ----------
    dose_mg_per_kg : float
        Animal dose in mg/kg (>= 0).
    animal_weight_kg : float
        Body weight of the animals studied, kg (> 0).
    human_weight_kg : float, default 60
        Human reference weight, kg.
    exponent : float, default 0.33
        1 - b with b = 0.67, the body-surface-area exponent of body weight.

    Returns
    -------
    float
        HED in mg/kg.

    Raises
    ------
    ValueError
        If the dose is negative or a weight or the exponent is not positive.
    TypeError
        If an argument is not numeric.

    Notes
    -----
    .. math:: HED = D_{animal} \\left(\\frac{W_{animal}}{W_{human}}\\right)^{1 - 0.67}

    The guidance uses this formula for animals whose weight lies outside the working range of Table 1 (the
    ranges are not reproduced here).  At the reference weights it does not reproduce the Km ratios exactly,
    because the Km values are empirical (rat: 0.138 versus 6/37 = 0.162).

    References
    ----------
    FDA 2005 guidance (HED from body weight with the surface-area exponent b = 0.67).

    Examples
    --------
    >>> round(hed_by_body_weight(50.0, animal_weight_kg=0.15), 2)
    6.92
    """
    dose = _validate.positive(dose_mg_per_kg, "dose_mg_per_kg", allow_zero=True)
    wa = _validate.positive(animal_weight_kg, "animal_weight_kg")
    wh = _validate.positive(human_weight_kg, "human_weight_kg")
    return dose * (wa / wh) ** _validate.positive(exponent, "exponent")


def mg_per_kg_to_mg_per_m2(dose_mg_per_kg: float, species: str = "human") -> float:
    """Convert a dose in mg/kg to mg/m^2 for a species (multiply by Km).

    Parameters
    ----------
    dose_mg_per_kg : float
        Dose in mg/kg (>= 0).
    species : str, default "human"
        Species of :data:`SPECIES`.

    Returns
    -------
    float
        Dose in mg/m^2.

    Raises
    ------
    ValueError
        If the dose is negative or the species unknown.
    TypeError
        If an argument has the wrong type.

    Notes
    -----
    .. math:: D\\,[\\mathrm{mg/m^2}] = K_m \\times D\\,[\\mathrm{mg/kg}]

    References
    ----------
    FDA 2005 guidance, Table 1.

    Examples
    --------
    >>> mg_per_kg_to_mg_per_m2(10.0, "dog")
    200.0
    """
    return _validate.positive(dose_mg_per_kg, "dose_mg_per_kg", allow_zero=True) * km_factor(species)


def mg_per_m2_to_mg_per_kg(dose_mg_per_m2: float, species: str = "human") -> float:
    """Convert a dose in mg/m^2 to mg/kg for a species (divide by Km).

    Parameters
    ----------
    dose_mg_per_m2 : float
        Dose in mg/m^2 (>= 0).
    species : str, default "human"
        Species of :data:`SPECIES`.

    Returns
    -------
    float
        Dose in mg/kg.

    Raises
    ------
    ValueError
        If the dose is negative or the species unknown.
    TypeError
        If an argument has the wrong type.

    Notes
    -----
    .. math:: D\\,[\\mathrm{mg/kg}] = D\\,[\\mathrm{mg/m^2}] / K_m

    References
    ----------
    FDA 2005 guidance, Table 1.

    Examples
    --------
    >>> mg_per_m2_to_mg_per_kg(370.0)
    10.0
    """
    return _validate.positive(dose_mg_per_m2, "dose_mg_per_m2", allow_zero=True) / km_factor(species)


def flat_dose_mg(dose: float, unit: str = "mg/kg", *, weight_kg: float = HUMAN_WEIGHT_KG,
                 bsa_m2: float = HUMAN_BSA_M2) -> float:
    """Flat (total) dose in mg of a dose in mg/kg or mg/m^2, for the reference adult by default.

    Parameters
    ----------
    dose : float
        Dose (>= 0) in ``unit``.
    unit : {"mg/kg", "mg/m2"}, default "mg/kg"
        Unit of ``dose``.
    weight_kg : float, default 60
        Body weight used for mg/kg doses.
    bsa_m2 : float, default 1.62
        Body-surface area used for mg/m^2 doses.

    Returns
    -------
    float
        Dose in mg.

    Raises
    ------
    ValueError
        If the dose is negative, a body size not positive or the unit unknown.
    TypeError
        If an argument has the wrong type.

    Notes
    -----
    .. math:: D\\,[\\mathrm{mg}] = D\\,[\\mathrm{mg/kg}] \\times W = D\\,[\\mathrm{mg/m^2}] \\times BSA

    For the reference adult the two routes differ slightly (60/1.62 = 37.04, not 37).

    References
    ----------
    FDA 2005 guidance, Table 1 (reference adult 60 kg, 1.62 m^2).

    Examples
    --------
    >>> flat_dose_mg(0.5), round(flat_dose_mg(20.0, "mg/m2"), 2)
    (30.0, 32.4)
    """
    dose = _validate.positive(dose, "dose", allow_zero=True)
    if unit == "mg/kg":
        return dose * _validate.positive(weight_kg, "weight_kg")
    if unit in ("mg/m2", "mg/m^2"):
        return dose * _validate.positive(bsa_m2, "bsa_m2")
    raise ValueError(f"unit must be 'mg/kg' or 'mg/m2'; got {unit!r}")


def _fmt(x: float) -> str:
    """A dose for text: three significant figures, no exponent."""
    return np.format_float_positional(x, precision=3, unique=False, fractional=False, trim="-")


def _species_label(key: str, lang: str) -> str:
    """Translated species name."""
    return t("fih_species_" + key.replace(" ", "_").replace("-", "_"), lang)


@dataclass(frozen=True)
class MRSDResult:
    """Maximum recommended starting dose by the FDA 2005 algorithm, with every step kept.

    Attributes
    ----------
    mrsd_mg_per_kg : float
        MRSD, mg/kg: the HED of the chosen species divided by the safety factor.
    species : str
        Species chosen as the most appropriate.
    overridden : bool
        True when the species was chosen by the user rather than as the most sensitive.
    reason : str
        The user's reason for the override, or "" for the default choice.
    tied : tuple of str
        Species sharing the lowest HED (more than one only on a tie).
    noael_mg_per_kg, hed_mg_per_kg : mapping of str to float
        NOAEL and HED of every species, mg/kg.
    safety_factor : float
        Divisor applied to the HED.
    scaling : {"bsa", "mg/kg"}
        How NOAELs were converted to HEDs.
    scaling_reason : str
        Why mg/kg scaling was used ("" for body-surface area).
    pad_mg_per_kg : float or None
        Human pharmacologically active dose, mg/kg, when given.
    """

    mrsd_mg_per_kg: float
    species: str
    overridden: bool
    reason: str
    tied: tuple[str, ...]
    noael_mg_per_kg: Mapping[str, float]
    hed_mg_per_kg: Mapping[str, float]
    safety_factor: float
    scaling: str = "bsa"
    scaling_reason: str = ""
    pad_mg_per_kg: float | None = None

    def mrsd_mg(self, weight_kg: float = HUMAN_WEIGHT_KG) -> float:
        """MRSD as a flat dose in mg for a person of ``weight_kg`` (default 60 kg)."""
        return flat_dose_mg(self.mrsd_mg_per_kg, weight_kg=weight_kg)

    @property
    def pad_below_mrsd(self) -> bool | None:
        """Whether the PAD is below the MRSD (then a lower start may be warranted); None without a PAD."""
        return None if self.pad_mg_per_kg is None else self.pad_mg_per_kg < self.mrsd_mg_per_kg

    def species_reason(self, lang: str = "en") -> str:
        """Why this species was chosen, in ``lang``."""
        lang = check_lang(lang)
        name = _species_label(self.species, lang)
        if self.overridden:
            return t("fih_reason_override", lang, species=name, reason=self.reason)
        hed = _fmt(self.hed_mg_per_kg[self.species])
        if len(self.tied) > 1:
            names = t("fih_list_sep", lang).join(_species_label(s, lang) for s in self.tied)
            return t("fih_reason_tied", lang, species=names, hed=hed, chosen=name)
        return t("fih_reason_most_sensitive", lang, species=name, hed=hed)

    def explain(self, lang: str = "en") -> str:
        """The algorithm step by step, in ``lang``, as protocol-ready text."""
        lang = check_lang(lang)
        lines = [t("fih_step_hed_bsa" if self.scaling == "bsa" else "fih_step_hed_mgkg", lang,
                   reason=self.scaling_reason),
                 self.species_reason(lang),
                 t("fih_step_mrsd", lang, species=_species_label(self.species, lang),
                   hed=_fmt(self.hed_mg_per_kg[self.species]), sf=_fmt(self.safety_factor),
                   mrsd=_fmt(self.mrsd_mg_per_kg), mg=_fmt(self.mrsd_mg()))]
        if self.pad_mg_per_kg is not None:
            key = "fih_pad_below" if self.pad_below_mrsd else "fih_pad_above"
            lines.append(t(key, lang, pad=_fmt(self.pad_mg_per_kg),
                           fold=_fmt(max(self.pad_mg_per_kg, self.mrsd_mg_per_kg)
                                     / min(self.pad_mg_per_kg, self.mrsd_mg_per_kg))))
        return "\n".join(lines)

    def to_frame(self, lang: str = "en") -> pd.DataFrame:
        """One row per species: NOAEL, Km, HED, HED / safety factor, and which species was chosen."""
        lang = check_lang(lang)
        rows = []
        for key, noael in self.noael_mg_per_kg.items():
            rows.append({
                t("fih_col_species", lang): _species_label(key, lang),
                t("fih_col_noael", lang): noael,
                t("fih_col_km", lang): SPECIES[key].km,
                t("fih_col_hed", lang): self.hed_mg_per_kg[key],
                t("fih_col_hed_over_sf", lang): self.hed_mg_per_kg[key] / self.safety_factor,
                t("fih_col_selected", lang): t("fih_yes", lang) if key == self.species else "",
            })
        return pd.DataFrame(rows)


def _reason_text(reason: object, name: str) -> str:
    """A non-empty stripped reason string, or a clear error naming the argument."""
    if not isinstance(reason, str) or not reason.strip():
        raise ValueError(f"{name} must be a non-empty text explaining the choice; got {reason!r}")
    return reason.strip().rstrip(".。")


def mrsd(noael_mg_per_kg_by_species: Mapping[str, float], safety_factor: float = 10.0, *,
         species: str | None = None, reason: str | None = None, scaling: str = "bsa",
         scaling_reason: str | None = None, pad_mg_per_kg: float | None = None) -> MRSDResult:
    """Maximum recommended starting dose (mg/kg) by the FDA 2005 algorithm.

    Parameters
    ----------
    noael_mg_per_kg_by_species : mapping of str to float
        NOAEL (mg/kg, > 0) of each species tested, e.g. ``{"rat": 50, "dog": 15}``.
    safety_factor : float, default 10
        Divisor of the HED (>= 1). The guidance's default is 10; a larger one suits greater concern.
    species : str, optional
        The most appropriate species, when it is not the most sensitive one (needs ``reason``).
    reason : str, optional
        Why ``species`` is the most appropriate (e.g. a metabolite profile closest to human).
    scaling : {"bsa", "mg/kg"}, default "bsa"
        Body-surface-area (Km) conversion, or mg/kg scaling (HED = NOAEL), which the guidance allows only in
        specific cases (its section V.B) and which needs ``scaling_reason``.
    scaling_reason : str, optional
        Why mg/kg scaling applies.
    pad_mg_per_kg : float, optional
        Human pharmacologically active dose (mg/kg), to compare with the MRSD (step 5).

    Returns
    -------
    MRSDResult
        The MRSD with the chosen species, the reason and every HED; ``.mrsd_mg()`` gives mg for 60 kg,
        ``.explain(lang)`` the steps in words and ``.to_frame(lang)`` the table.

    Raises
    ------
    ValueError
        If a species is unknown (the message lists valid ones), a NOAEL is not positive, the safety factor is
        below 1, an override lacks its reason, or ``species`` has no NOAEL.
    TypeError
        If an argument has the wrong type.

    Notes
    -----
    .. math::

        HED_s = NOAEL_s \\times K_{m,s} / 37, \\qquad
        MRSD = \\frac{HED_{s^*}}{SF}, \\qquad s^* = \\arg\\min_s HED_s \\ \\text{(default)}

    References
    ----------
    FDA (CDER). Guidance for Industry: Estimating the Maximum Safe Starting Dose in Initial Clinical Trials for
    Therapeutics in Adult Healthy Volunteers. July 2005 (steps 1-5).

    Examples
    --------
    >>> res = mrsd({"rat": 50.0, "dog": 10.0})
    >>> res.species, round(res.mrsd_mg_per_kg, 3), round(res.mrsd_mg(), 1)
    ('dog', 0.541, 32.4)
    >>> print(res.species_reason())
    dog is the most sensitive species: lowest HED (5.41 mg/kg).
    """
    if not isinstance(noael_mg_per_kg_by_species, Mapping) or not noael_mg_per_kg_by_species:
        raise TypeError("noael_mg_per_kg_by_species must be a non-empty mapping of species to NOAEL (mg/kg); "
                        f"got {noael_mg_per_kg_by_species!r}")
    noael: dict[str, float] = {}
    for name, value in noael_mg_per_kg_by_species.items():
        key = _species(name, allowed=ANIMAL_SPECIES, argument="noael_mg_per_kg_by_species key")
        if key in noael:
            raise ValueError(f"species {key!r} appears twice in noael_mg_per_kg_by_species")
        noael[key] = _validate.positive(value, f"NOAEL of {key}")
    sf = _validate.positive(safety_factor, "safety_factor")
    if sf < 1.0:
        raise ValueError(f"safety_factor must be >= 1 (it divides the HED); got {safety_factor!r}")
    if scaling == "bsa":
        if scaling_reason is not None:
            raise ValueError("scaling_reason applies only to scaling='mg/kg'")
        hed = {k: human_equivalent_dose(v, k) for k, v in noael.items()}
        scaling_text = ""
    elif scaling == "mg/kg":
        scaling_text = _reason_text(scaling_reason, "scaling_reason")
        hed = dict(noael)
    else:
        raise ValueError(f"scaling must be 'bsa' or 'mg/kg'; got {scaling!r}")
    lowest = min(hed.values())
    tied = tuple(k for k, v in hed.items() if np.isclose(v, lowest, rtol=1e-9, atol=0.0))
    if species is None:
        if reason is not None:
            raise ValueError("reason applies only when species overrides the most sensitive species")
        chosen, overridden, why = tied[0], False, ""
    else:
        chosen = _species(species, allowed=ANIMAL_SPECIES)
        if chosen not in noael:
            raise ValueError(f"species {chosen!r} has no NOAEL; give one of {list(noael)}")
        overridden, why = True, _reason_text(reason, "reason")
    pad = None if pad_mg_per_kg is None else _validate.positive(pad_mg_per_kg, "pad_mg_per_kg")
    return MRSDResult(
        mrsd_mg_per_kg=hed[chosen] / sf, species=chosen, overridden=overridden, reason=why, tied=tied,
        noael_mg_per_kg=MappingProxyType(noael), hed_mg_per_kg=MappingProxyType(hed), safety_factor=sf,
        scaling=scaling, scaling_reason=scaling_text, pad_mg_per_kg=pad,
    )


@dataclass(frozen=True)
class S9StartingDose:
    """ICH S9 starting dose of an anticancer small molecule.

    Attributes
    ----------
    dose_mg_per_m2 : float
        Starting dose, mg/m^2: the lower of the candidates.
    species : str
        Species that sets the dose (the more sensitive).
    basis : {"std10", "hnstd"}
        1/10 of the rodent STD10 or 1/6 of the non-rodent HNSTD.
    candidates_mg_per_m2 : mapping of str to float
        Candidate starting dose of each species given, mg/m^2.
    animal_dose_mg_per_kg : mapping of str to float
        STD10 or HNSTD of each species given, mg/kg.
    """

    dose_mg_per_m2: float
    species: str
    basis: str
    candidates_mg_per_m2: Mapping[str, float]
    animal_dose_mg_per_kg: Mapping[str, float]

    @property
    def dose_mg_per_kg(self) -> float:
        """Starting dose in mg/kg for the reference adult (mg/m^2 / 37)."""
        return self.dose_mg_per_m2 / SPECIES["human"].km

    def flat_dose_mg(self, bsa_m2: float = HUMAN_BSA_M2) -> float:
        """Starting dose as a flat dose in mg for a body-surface area (default 1.62 m^2)."""
        return flat_dose_mg(self.dose_mg_per_m2, "mg/m2", bsa_m2=bsa_m2)

    def explain(self, lang: str = "en") -> str:
        """Which species sets the dose and why, in ``lang``."""
        lang = check_lang(lang)
        parts = [t("fih_s9_candidate_" + ("std10" if k in RODENTS else "hnstd"), lang,
                   species=_species_label(k, lang), animal=_fmt(self.animal_dose_mg_per_kg[k]),
                   dose=_fmt(v)) for k, v in self.candidates_mg_per_m2.items()]
        parts.append(t("fih_s9_choice", lang, species=_species_label(self.species, lang),
                       dose=_fmt(self.dose_mg_per_m2), mg=_fmt(self.flat_dose_mg()),
                       mgkg=_fmt(self.dose_mg_per_kg)))
        return "\n".join(parts)

    def to_frame(self, lang: str = "en") -> pd.DataFrame:
        """One row per species: animal dose (mg/kg), Km, candidate start (mg/m^2), which one sets the dose."""
        lang = check_lang(lang)
        return pd.DataFrame([{
            t("fih_col_species", lang): _species_label(k, lang),
            t("fih_col_basis", lang): t("fih_basis_" + ("std10" if k in RODENTS else "hnstd"), lang),
            t("fih_col_animal_dose", lang): self.animal_dose_mg_per_kg[k],
            t("fih_col_km", lang): SPECIES[k].km,
            t("fih_col_start_mg_m2", lang): v,
            t("fih_col_selected", lang): t("fih_yes", lang) if k == self.species else "",
        } for k, v in self.candidates_mg_per_m2.items()])


def s9_starting_dose(*, std10_rodent_mg_per_kg: float | None = None,
                     hnstd_nonrodent_mg_per_kg: float | None = None, rodent: str = "rat",
                     nonrodent: str = "dog") -> S9StartingDose:
    """ICH S9 starting dose (mg/m^2) of an anticancer small molecule from rodent STD10 and non-rodent HNSTD.

    Parameters
    ----------
    std10_rodent_mg_per_kg : float, optional
        Dose severely toxic to 10% of rodents (STD10), mg/kg (> 0).
    hnstd_nonrodent_mg_per_kg : float, optional
        Highest non-severely toxic dose (HNSTD) in the non-rodent, mg/kg (> 0).
    rodent : str, default "rat"
        Rodent species (one of :data:`RODENTS`).
    nonrodent : str, default "dog"
        Non-rodent species (an animal of Table 1 that is not a rodent).

    Returns
    -------
    S9StartingDose
        The starting dose in mg/m^2, the species that sets it, ``.dose_mg_per_kg`` (for 37 kg/m^2),
        ``.flat_dose_mg()`` (for 1.62 m^2), ``.explain(lang)`` and ``.to_frame(lang)``.

    Raises
    ------
    ValueError
        If neither dose is given, a dose is not positive, or a species is unknown or of the wrong kind.
    TypeError
        If an argument has the wrong type.

    Notes
    -----
    Both animal doses are converted to mg/m^2 with their Km, and the more sensitive species wins:

    .. math:: D_0 = \\min\\left(\\frac{K_{m,rodent} \\, STD_{10}}{10},\\;
              \\frac{K_{m,non\\text{-}rodent} \\, HNSTD}{6}\\right) \\ \\mathrm{mg/m^2}

    References
    ----------
    ICH S9. Nonclinical Evaluation for Anticancer Pharmaceuticals. 2009 (section 3.1, start dose).

    Examples
    --------
    >>> s9 = s9_starting_dose(std10_rodent_mg_per_kg=60.0, hnstd_nonrodent_mg_per_kg=10.0)
    >>> s9.species, round(s9.dose_mg_per_m2, 1), round(s9.flat_dose_mg(), 1)
    ('dog', 33.3, 54.0)
    """
    if std10_rodent_mg_per_kg is None and hnstd_nonrodent_mg_per_kg is None:
        raise ValueError("give std10_rodent_mg_per_kg, hnstd_nonrodent_mg_per_kg or both")
    animal: dict[str, float] = {}
    candidates: dict[str, float] = {}
    if std10_rodent_mg_per_kg is not None:
        key = _species(rodent, allowed=RODENTS, argument="rodent")
        animal[key] = _validate.positive(std10_rodent_mg_per_kg, "std10_rodent_mg_per_kg")
        candidates[key] = animal[key] * SPECIES[key].km / 10.0
    if hnstd_nonrodent_mg_per_kg is not None:
        key = _species(nonrodent, allowed=tuple(s for s in ANIMAL_SPECIES if s not in RODENTS),
                       argument="nonrodent")
        animal[key] = _validate.positive(hnstd_nonrodent_mg_per_kg, "hnstd_nonrodent_mg_per_kg")
        candidates[key] = animal[key] * SPECIES[key].km / 6.0
    winner = min(candidates, key=candidates.get)
    return S9StartingDose(
        dose_mg_per_m2=candidates[winner], species=winner, basis="std10" if winner in RODENTS else "hnstd",
        candidates_mg_per_m2=MappingProxyType(candidates), animal_dose_mg_per_kg=MappingProxyType(animal),
    )


def mabel_concentration(kd: float, occupancy: float, target_total: float | None = None) -> float:
    """Concentration giving a target receptor occupancy: the MABEL concentration (same unit as ``kd``).

    Parameters
    ----------
    kd : float
        Dissociation constant K_D (> 0), e.g. nM.
    occupancy : float
        Receptor occupancy aimed at, in (0, 1); MABEL usually takes 0.1-0.2.
    target_total : float, optional
        Total target concentration (same unit). When given, the result is the total drug concentration,
        including drug bound to the target (target depletion).

    Returns
    -------
    float
        Concentration in the unit of ``kd``.

    Raises
    ------
    ValueError
        If ``occupancy`` is outside (0, 1), ``kd`` is not positive or ``target_total`` is negative.
    TypeError
        If an argument is not numeric.

    Notes
    -----
    Simple binding: :math:`C = K_D \\, RO / (1 - RO)`, so 10% RO is K_D/9 and 20% RO is K_D/4.  With total
    target R_tot (Muller & Brennan 2009): :math:`C_{tot} = K_D \\, RO/(1 - RO) + RO \\cdot R_{tot}`.
    See :func:`dosecourse.pd.concentration_for_occupancy`.

    References
    ----------
    Muller PY, Brennan FR. Clin Pharmacol Ther. 2009;85(3):247-258. doi:10.1038/clpt.2008.273
    EMA. EMEA/CHMP/SWP/28367/07 Rev. 1, 2017.

    Examples
    --------
    >>> mabel_concentration(kd=1.8, occupancy=0.1), mabel_concentration(kd=1.8, occupancy=0.2)
    (0.2, 0.45)
    """
    if np.ndim(occupancy) != 0:
        raise TypeError(f"occupancy must be a single number in (0, 1); got {occupancy!r}")
    return float(concentration_for_occupancy(occupancy, kd, target_total))


def dose_from_concentration(concentration_nm: float, *,
                            molecular_weight_g_per_mol: float = IGG_MOLECULAR_WEIGHT,
                            volume_l_per_kg: float = PLASMA_VOLUME_L_PER_KG) -> float:
    """Dose (mg/kg) that gives a plasma concentration right after an IV dose.

    Parameters
    ----------
    concentration_nm : float
        Concentration aimed at, nM (>= 0), e.g. a MABEL concentration or an in-vitro EC10-EC20.
    molecular_weight_g_per_mol : float, default 150 000
        Molecular weight, g/mol (an IgG by default).
    volume_l_per_kg : float, default 0.04
        Volume the dose dilutes into, L/kg: the plasma volume for an antibody, or the central volume of a PK
        model.

    Returns
    -------
    float
        Dose in mg/kg.

    Raises
    ------
    ValueError
        If the concentration is negative or another argument not positive.
    TypeError
        If an argument is not numeric.

    Notes
    -----
    .. math:: D\\,[\\mathrm{mg/kg}] = C\\,[\\mathrm{nM}] \\times 10^{-6} \\times MW\\,[\\mathrm{g/mol}]
              \\times V\\,[\\mathrm{L/kg}]

    References
    ----------
    Muller PY, Brennan FR. Clin Pharmacol Ther. 2009;85(3):247-258. doi:10.1038/clpt.2008.273

    Examples
    --------
    >>> round(dose_from_concentration(10.0) * 1000, 1)   # 10 nM of an IgG: ug/kg
    60.0
    """
    c = _validate.positive(concentration_nm, "concentration_nm", allow_zero=True)
    mw = _validate.positive(molecular_weight_g_per_mol, "molecular_weight_g_per_mol")
    vol = _validate.positive(volume_l_per_kg, "volume_l_per_kg")
    return c * 1e-6 * mw * vol


def concentration_from_dose(dose_mg_per_kg: float, *, molecular_weight_g_per_mol: float = IGG_MOLECULAR_WEIGHT,
                            volume_l_per_kg: float = PLASMA_VOLUME_L_PER_KG) -> float:
    """Plasma concentration (nM) right after an IV dose in mg/kg: the inverse of :func:`dose_from_concentration`.

    Parameters
    ----------
    dose_mg_per_kg : float
        Dose, mg/kg (>= 0).
    molecular_weight_g_per_mol : float, default 150 000
        Molecular weight, g/mol (an IgG by default).
    volume_l_per_kg : float, default 0.04
        Volume the dose dilutes into, L/kg (plasma volume for an antibody).

    Returns
    -------
    float
        Concentration, nM.

    Raises
    ------
    ValueError
        If the dose is negative or another argument not positive.
    TypeError
        If an argument is not numeric.

    Notes
    -----
    .. math:: C\\,[\\mathrm{nM}] = \\frac{D\\,[\\mathrm{mg/kg}] \\times 10^{6}}{MW\\,[\\mathrm{g/mol}]
              \\times V\\,[\\mathrm{L/kg}]}

    References
    ----------
    Muller PY, Brennan FR. Clin Pharmacol Ther. 2009;85(3):247-258. doi:10.1038/clpt.2008.273

    Examples
    --------
    >>> round(concentration_from_dose(0.1), 2)   # 0.1 mg/kg IgG in 0.04 L/kg
    16.67
    """
    d = _validate.positive(dose_mg_per_kg, "dose_mg_per_kg", allow_zero=True)
    mw = _validate.positive(molecular_weight_g_per_mol, "molecular_weight_g_per_mol")
    vol = _validate.positive(volume_l_per_kg, "volume_l_per_kg")
    return d * 1e6 / (mw * vol)


def mabel_dose(kd_nm: float, occupancy: float, *, target_total_nm: float | None = None,
               molecular_weight_g_per_mol: float = IGG_MOLECULAR_WEIGHT,
               volume_l_per_kg: float = PLASMA_VOLUME_L_PER_KG) -> float:
    """MABEL dose (mg/kg): the dose whose initial plasma concentration gives a target receptor occupancy.

    Parameters
    ----------
    kd_nm : float
        Dissociation constant K_D, nM (> 0).
    occupancy : float
        Receptor occupancy aimed at, in (0, 1) (usually 0.1-0.2).
    target_total_nm : float, optional
        Total target concentration, nM, to account for drug bound to target.
    molecular_weight_g_per_mol : float, default 150 000
        Molecular weight (an IgG by default).
    volume_l_per_kg : float, default 0.04
        Plasma volume (or a PK model's central volume), L/kg.

    Returns
    -------
    float
        Dose in mg/kg.

    Raises
    ------
    ValueError
        If ``occupancy`` is outside (0, 1) or another argument is out of range.
    TypeError
        If an argument is not numeric.

    Notes
    -----
    :func:`mabel_concentration` followed by :func:`dose_from_concentration`:

    .. math:: D = K_D \\frac{RO}{1 - RO} \\times 10^{-6} \\times MW \\times V_{plasma}

    References
    ----------
    Muller PY, Brennan FR. Clin Pharmacol Ther. 2009;85(3):247-258. doi:10.1038/clpt.2008.273

    Examples
    --------
    >>> round(mabel_dose(1.8, 0.1) * 1000, 2)   # ug/kg
    1.2
    """
    conc = mabel_concentration(kd_nm, occupancy, target_total_nm)
    return dose_from_concentration(conc, molecular_weight_g_per_mol=molecular_weight_g_per_mol,
                                   volume_l_per_kg=volume_l_per_kg)


APPROACHES: tuple[str, ...] = ("noael_mrsd", "s9", "mabel", "pad")
"""Approach ids with translated names in :meth:`StartingDoseComparison.to_frame`; other names show as given."""


@dataclass(frozen=True)
class StartingDoseComparison:
    """Starting-dose estimates of one molecule side by side; the lowest is chosen.

    Attributes
    ----------
    doses_mg_per_kg : mapping of str to float
        Estimate of each approach, mg/kg, in the order given.
    molecule : str
        Name of the molecule (may be empty).
    weight_kg : float
        Body weight for flat doses, kg.
    """

    doses_mg_per_kg: Mapping[str, float]
    molecule: str = ""
    weight_kg: float = HUMAN_WEIGHT_KG

    @property
    def chosen(self) -> str:
        """The approach giving the lowest dose."""
        return min(self.doses_mg_per_kg, key=self.doses_mg_per_kg.get)

    @property
    def starting_dose_mg_per_kg(self) -> float:
        """The lowest estimate, mg/kg."""
        return self.doses_mg_per_kg[self.chosen]

    def _name(self, approach: str, lang: str) -> str:
        return t("fih_approach_" + approach, lang) if approach in APPROACHES else approach

    def to_frame(self, lang: str = "en") -> pd.DataFrame:
        """One row per approach: dose (mg/kg), flat dose (mg), fold above the lowest, and which is chosen."""
        lang = check_lang(lang)
        low = self.starting_dose_mg_per_kg
        return pd.DataFrame([{
            t("fih_col_approach", lang): self._name(a, lang),
            t("fih_col_dose_mg_per_kg", lang): d,
            t("fih_col_flat_mg", lang, weight=_fmt(self.weight_kg)): d * self.weight_kg,
            t("fih_col_fold", lang): d / low,
            t("fih_col_selected", lang): t("fih_yes", lang) if a == self.chosen else "",
        } for a, d in self.doses_mg_per_kg.items()])

    def explain(self, lang: str = "en") -> str:
        """The choice and the reasoning in words, in ``lang``."""
        lang = check_lang(lang)
        low = self.starting_dose_mg_per_kg
        lines = [t("fih_lowest_rule", lang, approach=self._name(self.chosen, lang), dose=_fmt(low),
                   mg=_fmt(low * self.weight_kg), weight=_fmt(self.weight_kg))]
        if self.molecule:
            lines[0] = f"{self.molecule}: {lines[0]}"
        lines += [t("fih_fold_line", lang, approach=self._name(a, lang), fold=_fmt(d / low))
                  for a, d in sorted(self.doses_mg_per_kg.items(), key=lambda item: item[1]) if a != self.chosen]
        return "\n".join(lines)


def compare_starting_doses(estimates: Mapping[str, float | MRSDResult | S9StartingDose], *, molecule: str = "",
                           weight_kg: float = HUMAN_WEIGHT_KG) -> StartingDoseComparison:
    """Compare starting-dose estimates of one molecule and take the lowest (EMA FIH guideline).

    Parameters
    ----------
    estimates : mapping of str to float, MRSDResult or S9StartingDose
        Approach -> estimate in mg/kg.  Keys ``"noael_mrsd"``, ``"s9"``, ``"mabel"`` and ``"pad"`` are shown
        with translated names; any other key is shown as written.  An :class:`MRSDResult` contributes its MRSD,
        an :class:`S9StartingDose` its dose in mg/kg.
    molecule : str, default ""
        Name of the molecule.
    weight_kg : float, default 60
        Body weight for the flat doses of the table.

    Returns
    -------
    StartingDoseComparison
        ``.chosen`` and ``.starting_dose_mg_per_kg`` give the lowest estimate; ``.to_frame(lang)`` the table;
        ``.explain(lang)`` the reasoning.

    Raises
    ------
    ValueError
        If there are no estimates or one is not positive.
    TypeError
        If an estimate has the wrong type or a key is not a string.

    Notes
    -----
    .. math:: D_{start} = \\min(MRSD_{NOAEL}, D_{S9}, MABEL, PAD, \\dots)

    When the approaches disagree, the EMA guideline on first-in-human trials advises taking the lowest
    estimate.

    References
    ----------
    EMA (CHMP). Guideline on strategies to identify and mitigate risks for first-in-human and early clinical
    trials with investigational medicinal products. EMEA/CHMP/SWP/28367/07 Rev. 1, 2017.

    Examples
    --------
    >>> cmp = compare_starting_doses({"noael_mrsd": 1.6, "mabel": 0.0013}, molecule="anti-CD28")
    >>> cmp.chosen, cmp.starting_dose_mg_per_kg
    ('mabel', 0.0013)
    """
    if not isinstance(estimates, Mapping) or not estimates:
        raise ValueError(f"estimates must be a non-empty mapping of approach to dose (mg/kg); got {estimates!r}")
    doses: dict[str, float] = {}
    for name, value in estimates.items():
        if not isinstance(name, str) or not name:
            raise TypeError(f"every approach in estimates must be a non-empty string; got {name!r}")
        if isinstance(value, MRSDResult):
            value = value.mrsd_mg_per_kg
        elif isinstance(value, S9StartingDose):
            value = value.dose_mg_per_kg
        doses[name] = _validate.positive(value, f"estimates[{name!r}]")
    if not isinstance(molecule, str):
        raise TypeError(f"molecule must be a string; got {molecule!r}")
    return StartingDoseComparison(MappingProxyType(doses), molecule,
                                  _validate.positive(weight_kg, "weight_kg"))
