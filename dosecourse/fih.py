"""First-in-human (FIH) starting dose from toxicology: NOAEL -> HED -> MRSD, ICH S9, and the lowest estimate.

The FDA 2005 algorithm for healthy volunteers: take the NOAEL of each species, convert it to a human equivalent
dose (HED) through body-surface area (:func:`km_factor`, :func:`human_equivalent_dose`), choose the most
appropriate species (by default the most sensitive, i.e. the lowest HED), divide by a safety factor (default 10)
to get the maximum recommended starting dose (MRSD), then compare with the pharmacologically active dose (PAD):
:func:`mrsd`.  For anticancer drugs ICH S9 starts at 1/10 of the rodent STD10 or 1/6 of the non-rodent HNSTD,
whichever is lower in mg/m^2 (:func:`s9_starting_dose`).  :func:`compare_starting_doses` sets all estimates for
one molecule side by side, the pharmacology-based ones (MABEL, PAD) of :mod:`dosecourse.mabel` included, and
takes the lowest, as the EMA FIH guideline advises when approaches disagree.

Doses are in mg/kg unless a name says otherwise (``_mg_per_m2``, ``_mg``).  Reference human: 60 kg, 1.62 m^2,
Km = 37 (FDA 2005, Table 1, read from ``dosecourse/data/fda2005_km_table1.json``).

References
----------
FDA (CDER). Guidance for Industry: Estimating the Maximum Safe Starting Dose in Initial Clinical Trials for
Therapeutics in Adult Healthy Volunteers. July 2005. https://www.fda.gov/media/72309/download
Nair AB, Jacob S. A simple practice guide for dose conversion between animals and human. J Basic Clin Pharm.
2016;7(2):27-31. doi:10.4103/0976-0105.177703 (PMID 27057123)
ICH S9. Nonclinical Evaluation for Anticancer Pharmaceuticals. Step 4, 29 October 2009.
EMA (CHMP). Guideline on strategies to identify and mitigate risks for first-in-human and early clinical trials
with investigational medicinal products. EMEA/CHMP/SWP/28367/07 Rev. 1, 2017.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd

from . import _validate, data
from .i18n import check_lang, t

HUMAN_WEIGHT_KG = 60.0
"""Reference adult body weight of the FDA 2005 guidance, kg."""

HUMAN_BSA_M2 = 1.62
"""Reference adult body-surface area of the FDA 2005 guidance, m^2."""

SCALINGS: tuple[str, ...] = ("bsa", "mg/kg")
"""How :func:`mrsd` converts a NOAEL to an HED: body-surface area (Km), or mg/kg (HED = NOAEL)."""

DOSE_UNITS: tuple[str, ...] = ("mg/kg", "mg/m2", "mg/m^2")
"""Units :func:`flat_dose_mg` converts from (the last two are the same unit)."""


@dataclass(frozen=True)
class Species:
    """One row of the FDA 2005 guidance's Table 1.

    Parameters
    ----------
    key : str
        Canonical name used by this module (e.g. ``"guinea pig"``).
    weight_kg : float
        Reference body weight, kg (> 0).
    bsa_m2 : float
        Body-surface area at that weight, m^2 (> 0).
    km : float
        Km = weight / BSA, kg/m^2 (> 0): multiply a dose in mg/kg by Km to get mg/m^2.

    Raises
    ------
    ValueError, TypeError
        On an empty key or a size that is not a positive number.
    """

    key: str
    weight_kg: float
    bsa_m2: float
    km: float

    def __post_init__(self) -> None:
        if not _validate.text(self.key, "key").strip():
            raise ValueError(f"key must name the species; got {self.key!r}")
        for name in ("weight_kg", "bsa_m2", "km"):
            object.__setattr__(self, name, _validate.positive(getattr(self, name), name))


def _table_1() -> Mapping[str, Species]:
    rows = data.load("fda2005_km_table1")["species"]
    return MappingProxyType({r["key"]: Species(r["key"], r["weight_kg"], r["bsa_m2"], r["km"]) for r in rows})


SPECIES: Mapping[str, Species] = _table_1()
"""FDA 2005 Table 1 (as reproduced by Nair & Jacob 2016): reference weight, BSA and Km of each species, read from
``dosecourse/data/fda2005_km_table1.json``.  "monkey" is the rhesus monkey of the table."""

ANIMAL_SPECIES: tuple[str, ...] = tuple(k for k in SPECIES if k not in ("human", "child"))
"""Species whose doses convert to a human equivalent dose."""

RODENTS: tuple[str, ...] = ("mouse", "hamster", "rat", "guinea pig")
"""Rodents of Table 1 (ICH S9 uses the STD10 in rodents, the HNSTD in non-rodents)."""

NONRODENTS: tuple[str, ...] = tuple(s for s in ANIMAL_SPECIES if s not in RODENTS)
"""Non-rodent animals of Table 1 (ICH S9's HNSTD species)."""


def _squash(name: str) -> str:
    """``name`` in lower case without spaces, hyphens or underscores, for forgiving species look-up."""
    return re.sub(r"[\s_\-]+", "", name.lower())


_LOOKUP = {_squash(k): k for k in SPECIES} | {
    "humanadult": "human", "adult": "human", "humanchild": "child", "rhesus": "monkey", "rhesusmonkey": "monkey",
    "monkeys": "monkey"}


def species_key(name: str, allowed: tuple[str, ...] | None = None, *, argument: str = "species") -> str:
    """The canonical key of :data:`SPECIES` for a species name; case, spaces, hyphens and underscores are ignored.

    Parameters
    ----------
    name : str
        A species name, e.g. ``"Guinea_Pig"``, ``"rhesus"``.
    allowed : tuple of str, optional
        The keys accepted (default: every species of Table 1), e.g. :data:`RODENTS`.
    argument : str, default "species"
        Name of the caller's argument, for the error message.

    Returns
    -------
    str
        A key of :data:`SPECIES`.

    Raises
    ------
    ValueError
        If the name is not one of ``allowed`` (the message lists them).
    TypeError
        If ``name`` is not a string.

    Examples
    --------
    >>> species_key("Guinea_Pig"), species_key("rhesus", RODENTS + ("monkey",))
    ('guinea pig', 'monkey')
    """
    argument = _validate.text(argument, "argument")
    options = tuple(SPECIES) if allowed is None else tuple(_validate.one_of(a, "allowed", SPECIES) for a in allowed)
    if not options:
        raise ValueError("allowed must name at least one species (or be None for all of them)")
    key = _LOOKUP.get(_squash(_validate.text(name, argument)))
    if key not in options:
        # No spelling of ``name`` is an allowed key, so this raises, naming the argument and the valid keys.
        _validate.one_of(name, argument, options)
    return key


def species_label(species: str, lang: str = "en") -> str:
    """Translated name of a species of :data:`SPECIES`.

    Parameters
    ----------
    species : str
        A species name, as in :func:`species_key` (case, spaces, hyphens and underscores ignored).
    lang : {"en", "zh-tw"}
        Reader's language.

    Returns
    -------
    str
        The species' name in ``lang`` (label ``fih_species_<key>``).

    Raises
    ------
    ValueError, TypeError
        As :func:`species_key`, or for an unknown language.

    Examples
    --------
    >>> species_label("Guinea_Pig", "zh-tw"), species_label("rhesus")
    ('天竺鼠', 'monkey (rhesus)')
    """
    return t("fih_species_" + species_key(species).replace(" ", "_").replace("-", "_"), check_lang(lang))
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
    return SPECIES[species_key(species)].km


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
    key = species_key(species, ANIMAL_SPECIES)
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
    unit : {"mg/kg", "mg/m2", "mg/m^2"}, default "mg/kg"
        Unit of ``dose`` (:data:`DOSE_UNITS`).
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
    weight_kg = _validate.positive(weight_kg, "weight_kg")  # both checked: a mistyped one is never ignored
    bsa_m2 = _validate.positive(bsa_m2, "bsa_m2")
    if _validate.one_of(unit, "unit", DOSE_UNITS) == "mg/kg":
        return dose * weight_kg
    return dose * bsa_m2


def _fmt(x: float) -> str:
    """A dose for text: three significant figures, no exponent."""
    return np.format_float_positional(x, precision=3, unique=False, fractional=False, trim="-")




def _frozen_doses(values: object, name: str, *, keys: tuple[str, ...] | None = None,
                  allow_zero: bool = False) -> Mapping[str, float]:
    """A read-only ``{name: dose}`` copy of a non-empty mapping with string keys (of ``keys``) and doses > 0."""
    mapping = _validate.mapping(values, name)
    if not mapping:
        raise ValueError(f"{name} must not be empty")
    out = {}
    for key, value in mapping.items():
        key = _validate.text(key, f"a key of {name}") if keys is None else _validate.one_of(key, f"a key of {name}",
                                                                                             keys)
        out[key] = _validate.positive(value, f"{name}[{key!r}]", allow_zero=allow_zero)
    return MappingProxyType(out)


def _reason_text(reason: object, name: str) -> str:
    """A non-empty stripped reason string, or a clear error naming the argument (a missing one is a ValueError)."""
    text = "" if reason is None else _validate.text(reason, name).strip().rstrip(".。")
    if not text:
        raise ValueError(f"{name} must be a non-empty text explaining the choice; got {reason!r}")
    return text


def _close(a: float, b: float) -> bool:
    return bool(np.isclose(a, b, rtol=1e-9, atol=0.0))


@dataclass(frozen=True)
class MRSDResult:
    """Maximum recommended starting dose by the FDA 2005 algorithm, with every step kept.

    Made by :func:`mrsd`; constructing one by hand checks that the numbers agree with each other.

    Parameters
    ----------
    mrsd_mg_per_kg : float
        MRSD, mg/kg: the HED of the chosen species divided by the safety factor.
    species : str
        Species chosen as the most appropriate (a key of ``noael_mg_per_kg``).
    overridden : bool
        True when the species was chosen by the user rather than as the most sensitive.
    reason : str
        The user's reason for the override, or "" for the default choice.
    tied : tuple of str
        Species sharing the lowest HED (more than one only on a tie).
    noael_mg_per_kg, hed_mg_per_kg : mapping of str to float
        NOAEL and HED of every species, mg/kg (the same species).
    safety_factor : float
        Divisor applied to the HED (>= 1).
    scaling : {"bsa", "mg/kg"}
        How NOAELs were converted to HEDs.
    scaling_reason : str
        Why mg/kg scaling was used ("" for body-surface area).
    pad_mg_per_kg : float or None
        Human pharmacologically active dose, mg/kg, when given.

    Raises
    ------
    ValueError, TypeError
        If an attribute has the wrong type or range, or the numbers disagree (an HED that is not the NOAEL
        scaled as ``scaling`` says, an MRSD that is not the chosen HED over the safety factor, a ``tied`` that
        is not the species with the lowest HED, an override without a reason).
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

    def __post_init__(self) -> None:
        noael = _frozen_doses(self.noael_mg_per_kg, "noael_mg_per_kg", keys=ANIMAL_SPECIES)
        hed = _frozen_doses(self.hed_mg_per_kg, "hed_mg_per_kg", keys=tuple(noael))
        if set(hed) != set(noael):
            raise ValueError(f"hed_mg_per_kg must have one HED per species of noael_mg_per_kg {list(noael)}; got "
                             f"{list(hed)}")
        scaling = _validate.one_of(self.scaling, "scaling", SCALINGS)
        for key in noael:
            expected = noael[key] * SPECIES[key].km / SPECIES["human"].km if scaling == "bsa" else noael[key]
            if not _close(hed[key], expected):
                raise ValueError(f"hed_mg_per_kg[{key!r}] must be the NOAEL scaled by {scaling!r} ({expected:g}); "
                                 f"got {hed[key]!r}")
        species = _validate.one_of(self.species, "species", tuple(noael))
        overridden = _validate.boolean(self.overridden, "overridden")
        reason = _validate.text(self.reason, "reason")
        if overridden != bool(reason.strip()):
            raise ValueError("reason must explain an override (overridden=True) and be empty otherwise; got "
                             f"overridden={overridden!r}, reason={reason!r}")
        lowest = min(hed.values())
        tied = tuple(_validate.one_of(k, "tied", tuple(noael)) for k in _validate.instance(self.tied, "tied", tuple))
        if set(tied) != {k for k, v in hed.items() if _close(v, lowest)}:
            raise ValueError(f"tied must list the species with the lowest HED; got {tied!r}")
        if not overridden and species != tied[0]:
            raise ValueError(f"species must be the first most sensitive species {tied[0]!r} unless overridden; got "
                             f"{species!r}")
        sf = _validate.number(self.safety_factor, "safety_factor", minimum=1.0)
        mrsd_value = _validate.positive(self.mrsd_mg_per_kg, "mrsd_mg_per_kg")
        if not _close(mrsd_value, hed[species] / sf):
            raise ValueError(f"mrsd_mg_per_kg must be hed_mg_per_kg[{species!r}] / safety_factor "
                             f"({hed[species] / sf:g}); got {self.mrsd_mg_per_kg!r}")
        scaling_reason = _validate.text(self.scaling_reason, "scaling_reason")
        if (scaling == "mg/kg") != bool(scaling_reason.strip()):
            raise ValueError("scaling_reason must explain mg/kg scaling and be empty for 'bsa'; got "
                             f"scaling={scaling!r}, scaling_reason={scaling_reason!r}")
        pad = None if self.pad_mg_per_kg is None else _validate.positive(self.pad_mg_per_kg, "pad_mg_per_kg")
        for name, value in (("noael_mg_per_kg", noael), ("hed_mg_per_kg", hed), ("safety_factor", sf),
                            ("mrsd_mg_per_kg", mrsd_value), ("pad_mg_per_kg", pad)):
            object.__setattr__(self, name, value)

    def mrsd_mg(self, weight_kg: float = HUMAN_WEIGHT_KG) -> float:
        """MRSD as a flat dose in mg for a person of ``weight_kg`` (default 60 kg).

        Parameters
        ----------
        weight_kg : float
            Body weight, kg (> 0; default :data:`HUMAN_WEIGHT_KG`).

        Returns
        -------
        float
            ``mrsd_mg_per_kg * weight_kg``, mg.
        """
        return flat_dose_mg(self.mrsd_mg_per_kg, weight_kg=weight_kg)

    @property
    def pad_below_mrsd(self) -> bool | None:
        """Whether the PAD is below the MRSD (then a lower start may be warranted); None without a PAD."""
        return None if self.pad_mg_per_kg is None else self.pad_mg_per_kg < self.mrsd_mg_per_kg

    def species_reason(self, lang: str = "en") -> str:
        """Why this species was chosen, in ``lang``.

        Parameters
        ----------
        lang : {"en", "zh-tw"}
            Language of the sentence (default ``"en"``).

        Returns
        -------
        str
            The user's reason for an override; otherwise that the species is the most sensitive (lowest HED),
            naming the tied species on a tie.
        """
        lang = check_lang(lang)
        name = species_label(self.species, lang)
        if self.overridden:
            return t("fih_reason_override", lang, species=name, reason=self.reason)
        hed = _fmt(self.hed_mg_per_kg[self.species])
        if len(self.tied) > 1:
            names = t("fih_list_sep", lang).join(species_label(s, lang) for s in self.tied)
            return t("fih_reason_tied", lang, species=names, hed=hed, chosen=name)
        return t("fih_reason_most_sensitive", lang, species=name, hed=hed)

    def explain(self, lang: str = "en") -> str:
        """The algorithm step by step, in ``lang``, as protocol-ready text.

        Parameters
        ----------
        lang : {"en", "zh-tw"}
            Language of the text (default ``"en"``).

        Returns
        -------
        str
            One line per step: the HED conversion, the species chosen, the MRSD (mg/kg and mg for 60 kg) and,
            with a PAD, how it compares with the MRSD.
        """
        lang = check_lang(lang)
        lines = [t("fih_step_hed_bsa" if self.scaling == "bsa" else "fih_step_hed_mgkg", lang,
                   reason=self.scaling_reason),
                 self.species_reason(lang),
                 t("fih_step_mrsd", lang, species=species_label(self.species, lang),
                   hed=_fmt(self.hed_mg_per_kg[self.species]), sf=_fmt(self.safety_factor),
                   mrsd=_fmt(self.mrsd_mg_per_kg), mg=_fmt(self.mrsd_mg()))]
        if self.pad_mg_per_kg is not None:
            key = "fih_pad_below" if self.pad_below_mrsd else "fih_pad_above"
            lines.append(t(key, lang, pad=_fmt(self.pad_mg_per_kg),
                           fold=_fmt(max(self.pad_mg_per_kg, self.mrsd_mg_per_kg)
                                     / min(self.pad_mg_per_kg, self.mrsd_mg_per_kg))))
        return "\n".join(lines)

    def to_frame(self, lang: str = "en") -> pd.DataFrame:
        """One row per species: NOAEL, Km, HED, HED / safety factor, and which species was chosen.

        Parameters
        ----------
        lang : {"en", "zh-tw"}
            Language of the species names and column names (default ``"en"``).

        Returns
        -------
        pandas.DataFrame
            Doses in mg/kg; the chosen species is marked in the last column.
        """
        lang = check_lang(lang)
        rows = []
        for key, noael in self.noael_mg_per_kg.items():
            rows.append({
                t("fih_col_species", lang): species_label(key, lang),
                t("fih_col_noael", lang): noael,
                t("fih_col_km", lang): SPECIES[key].km,
                t("fih_col_hed", lang): self.hed_mg_per_kg[key],
                t("fih_col_hed_over_sf", lang): self.hed_mg_per_kg[key] / self.safety_factor,
                t("fih_col_selected", lang): t("fih_yes", lang) if key == self.species else "",
            })
        return pd.DataFrame(rows)


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
    Therapeutics in Adult Healthy Volunteers. July 2005 (steps 1-5).  No reference software: the worked
    examples are checked by hand in ``tests/test_fih.py``.

    Examples
    --------
    >>> res = mrsd({"rat": 50.0, "dog": 10.0})
    >>> res.species, round(res.mrsd_mg_per_kg, 3), round(res.mrsd_mg(), 1)
    ('dog', 0.541, 32.4)
    >>> print(res.species_reason())
    dog is the most sensitive species: lowest HED (5.41 mg/kg).
    """
    given = _validate.mapping(noael_mg_per_kg_by_species, "noael_mg_per_kg_by_species")
    if not given:
        raise ValueError("noael_mg_per_kg_by_species must not be empty")
    noael: dict[str, float] = {}
    for name, value in given.items():
        key = species_key(name, ANIMAL_SPECIES, argument="noael_mg_per_kg_by_species key")
        if key in noael:
            raise ValueError(f"species {key!r} appears twice in noael_mg_per_kg_by_species")
        noael[key] = _validate.positive(value, f"noael_mg_per_kg_by_species[{key!r}] (the NOAEL of {key})")
    sf = _validate.number(safety_factor, "safety_factor", minimum=1.0)
    if _validate.one_of(scaling, "scaling", SCALINGS) == "bsa":
        if scaling_reason is not None:
            raise ValueError("scaling_reason applies only to scaling='mg/kg'")
        hed = {k: human_equivalent_dose(v, k) for k, v in noael.items()}
        scaling_text = ""
    else:
        scaling_text = _reason_text(scaling_reason, "scaling_reason")
        hed = dict(noael)
    lowest = min(hed.values())
    tied = tuple(k for k, v in hed.items() if _close(v, lowest))
    if species is None:
        if reason is not None:
            raise ValueError("reason applies only when species overrides the most sensitive species")
        chosen, overridden, why = tied[0], False, ""
    else:
        chosen = _validate.one_of(species_key(species, ANIMAL_SPECIES), "species (a species with a NOAEL)",
                                  tuple(noael))
        overridden, why = True, _reason_text(reason, "reason")
    pad = None if pad_mg_per_kg is None else _validate.positive(pad_mg_per_kg, "pad_mg_per_kg")
    return MRSDResult(
        mrsd_mg_per_kg=hed[chosen] / sf, species=chosen, overridden=overridden, reason=why, tied=tied,
        noael_mg_per_kg=noael, hed_mg_per_kg=hed, safety_factor=sf, scaling=scaling, scaling_reason=scaling_text,
        pad_mg_per_kg=pad,
    )


S9_BASES: tuple[str, ...] = ("std10", "hnstd")
"""ICH S9 bases: 1/10 of the rodent STD10, 1/6 of the non-rodent HNSTD."""

_S9_DIVISOR = {"std10": 10.0, "hnstd": 6.0}


@dataclass(frozen=True)
class S9StartingDose:
    """ICH S9 starting dose of an anticancer small molecule.

    Made by :func:`s9_starting_dose`; constructing one by hand checks that the numbers agree.

    Parameters
    ----------
    dose_mg_per_m2 : float
        Starting dose, mg/m^2: the lower of the candidates.
    species : str
        Species that sets the dose (the more sensitive).
    basis : {"std10", "hnstd"}
        1/10 of the rodent STD10 or 1/6 of the non-rodent HNSTD.
    candidates_mg_per_m2 : mapping of str to float
        Candidate starting dose of each species given, mg/m^2 (at most one rodent and one non-rodent).
    animal_dose_mg_per_kg : mapping of str to float
        STD10 or HNSTD of each species given, mg/kg.

    Raises
    ------
    ValueError, TypeError
        If an attribute has the wrong type or range, or the numbers disagree (a candidate that is not the
        animal dose x Km / 10 or / 6, a dose that is not the lowest candidate, a basis that does not match the
        species).
    """

    dose_mg_per_m2: float
    species: str
    basis: str
    candidates_mg_per_m2: Mapping[str, float]
    animal_dose_mg_per_kg: Mapping[str, float]

    def __post_init__(self) -> None:
        animal = _frozen_doses(self.animal_dose_mg_per_kg, "animal_dose_mg_per_kg", keys=ANIMAL_SPECIES)
        candidates = _frozen_doses(self.candidates_mg_per_m2, "candidates_mg_per_m2", keys=tuple(animal))
        if set(candidates) != set(animal) or sum(k in RODENTS for k in animal) > 1 or \
                sum(k not in RODENTS for k in animal) > 1:
            raise ValueError("candidates_mg_per_m2 and animal_dose_mg_per_kg must hold the same species, at most "
                             f"one rodent and one non-rodent; got {list(candidates)} and {list(animal)}")
        for key, value in animal.items():
            expected = value * SPECIES[key].km / _S9_DIVISOR["std10" if key in RODENTS else "hnstd"]
            if not _close(candidates[key], expected):
                raise ValueError(f"candidates_mg_per_m2[{key!r}] must be {expected:g} (ICH S9); got "
                                 f"{candidates[key]!r}")
        species = _validate.one_of(self.species, "species", (min(candidates, key=candidates.get),))
        basis = _validate.one_of(self.basis, "basis", ("std10" if species in RODENTS else "hnstd",))
        dose = _validate.positive(self.dose_mg_per_m2, "dose_mg_per_m2")
        if not _close(dose, candidates[species]):
            raise ValueError(f"dose_mg_per_m2 must be the lowest candidate ({candidates[species]:g}); got {dose!r}")
        for name, value in (("dose_mg_per_m2", dose), ("basis", basis), ("candidates_mg_per_m2", candidates),
                            ("animal_dose_mg_per_kg", animal)):
            object.__setattr__(self, name, value)

    @property
    def dose_mg_per_kg(self) -> float:
        """Starting dose in mg/kg for the reference adult (mg/m^2 / 37)."""
        return self.dose_mg_per_m2 / SPECIES["human"].km

    def flat_dose_mg(self, bsa_m2: float = HUMAN_BSA_M2) -> float:
        """Starting dose as a flat dose in mg for a body-surface area (default 1.62 m^2).

        Parameters
        ----------
        bsa_m2 : float
            Body-surface area, m^2 (> 0; default :data:`HUMAN_BSA_M2`).

        Returns
        -------
        float
            ``dose_mg_per_m2 * bsa_m2``, mg.
        """
        return flat_dose_mg(self.dose_mg_per_m2, "mg/m2", bsa_m2=bsa_m2)

    def explain(self, lang: str = "en") -> str:
        """Which species sets the dose and why, in ``lang``.

        Parameters
        ----------
        lang : {"en", "zh-tw"}
            Language of the text (default ``"en"``).

        Returns
        -------
        str
            One line per species with its candidate starting dose, then the choice (mg/m^2, mg and mg/kg).
        """
        lang = check_lang(lang)
        parts = [t("fih_s9_candidate_" + ("std10" if k in RODENTS else "hnstd"), lang,
                   species=species_label(k, lang), animal=_fmt(self.animal_dose_mg_per_kg[k]),
                   dose=_fmt(v)) for k, v in self.candidates_mg_per_m2.items()]
        parts.append(t("fih_s9_choice", lang, species=species_label(self.species, lang),
                       dose=_fmt(self.dose_mg_per_m2), mg=_fmt(self.flat_dose_mg()),
                       mgkg=_fmt(self.dose_mg_per_kg)))
        return "\n".join(parts)

    def to_frame(self, lang: str = "en") -> pd.DataFrame:
        """One row per species: animal dose (mg/kg), Km, candidate start (mg/m^2), which one sets the dose.

        Parameters
        ----------
        lang : {"en", "zh-tw"}
            Language of the species names, bases and column names (default ``"en"``).

        Returns
        -------
        pandas.DataFrame
            Columns: species, basis (STD10 or HNSTD), animal dose, Km, candidate start and the selection mark.
        """
        lang = check_lang(lang)
        return pd.DataFrame([{
            t("fih_col_species", lang): species_label(k, lang),
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
        Non-rodent species (one of :data:`NONRODENTS`).

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
    ICH S9. Nonclinical Evaluation for Anticancer Pharmaceuticals. 2009 (section 3.1, start dose).  No
    reference software: checked by hand in ``tests/test_fih.py``.

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
        key = species_key(rodent, RODENTS, argument="rodent")
        animal[key] = _validate.positive(std10_rodent_mg_per_kg, "std10_rodent_mg_per_kg")
        candidates[key] = animal[key] * SPECIES[key].km / _S9_DIVISOR["std10"]
    if hnstd_nonrodent_mg_per_kg is not None:
        key = species_key(nonrodent, NONRODENTS, argument="nonrodent")
        animal[key] = _validate.positive(hnstd_nonrodent_mg_per_kg, "hnstd_nonrodent_mg_per_kg")
        candidates[key] = animal[key] * SPECIES[key].km / _S9_DIVISOR["hnstd"]
    winner = min(candidates, key=candidates.get)
    return S9StartingDose(dose_mg_per_m2=candidates[winner], species=winner,
                          basis="std10" if winner in RODENTS else "hnstd", candidates_mg_per_m2=candidates,
                          animal_dose_mg_per_kg=animal)


APPROACHES: tuple[str, ...] = ("noael_mrsd", "s9", "mabel", "pad")
"""Approach ids with translated names in :meth:`StartingDoseComparison.to_frame`; other names show as given."""


def _approach_doses(values: object, name: str) -> Mapping[str, float]:
    """``values`` as a read-only ``{approach: dose}``: non-empty approach names, doses > 0 (mg/kg)."""
    doses = _frozen_doses(values, name)
    empty = [k for k in doses if not k.strip()]
    if empty:
        raise ValueError(f"every approach of {name} must be a non-empty name; got {empty!r}")
    return doses


@dataclass(frozen=True)
class StartingDoseComparison:
    """Starting-dose estimates of one molecule side by side; the lowest is chosen.

    Parameters
    ----------
    doses_mg_per_kg : mapping of str to float
        Estimate (> 0) of each approach, mg/kg, in the order given; approaches are non-empty strings.
    molecule : str
        Name of the molecule (may be empty).
    weight_kg : float
        Body weight for flat doses, kg (> 0).

    Raises
    ------
    ValueError, TypeError
        If there is no estimate, an approach is not a non-empty string, an estimate is not a positive number,
        ``molecule`` is not a string or ``weight_kg`` is not positive.
    """

    doses_mg_per_kg: Mapping[str, float]
    molecule: str = ""
    weight_kg: float = HUMAN_WEIGHT_KG

    def __post_init__(self) -> None:
        object.__setattr__(self, "doses_mg_per_kg", _approach_doses(self.doses_mg_per_kg, "doses_mg_per_kg"))
        _validate.text(self.molecule, "molecule")
        object.__setattr__(self, "weight_kg", _validate.positive(self.weight_kg, "weight_kg"))

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
        """One row per approach: dose (mg/kg), flat dose (mg), fold above the lowest, and which is chosen.

        Parameters
        ----------
        lang : {"en", "zh-tw"}
            Language of the approach names and column names (default ``"en"``).

        Returns
        -------
        pandas.DataFrame
            The flat dose is for :attr:`weight_kg`; the chosen (lowest) approach is marked in the last column.
        """
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
        """The choice and the reasoning in words, in ``lang``.

        Parameters
        ----------
        lang : {"en", "zh-tw"}
            Language of the text (default ``"en"``).

        Returns
        -------
        str
            The lowest estimate chosen (prefixed by the molecule's name when given), then one line per other
            approach with its fold above the lowest, in increasing order.
        """
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
        an :class:`S9StartingDose` its dose in mg/kg; a MABEL or a PAD comes from :mod:`dosecourse.mabel`.
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
    doses = {name: value.mrsd_mg_per_kg if isinstance(value, MRSDResult)
             else value.dose_mg_per_kg if isinstance(value, S9StartingDose) else value
             for name, value in _validate.mapping(estimates, "estimates").items()}
    return StartingDoseComparison(_approach_doses(doses, "estimates"), _validate.text(molecule, "molecule"),
                                  _validate.positive(weight_kg, "weight_kg"))
