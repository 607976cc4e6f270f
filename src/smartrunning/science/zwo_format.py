"""The ZWO vocabulary shared by the reader (``zwo``) and the writer (``zwo_write``).

Element and attribute names of Zwift's workout format, as SCIENCE.md ("ZWO workout files")
describes it. Sets of names are lower case, because the reader matches names
case-insensitively; the keys of ``INTERPRETED`` and the values of ``RAMP_ELEMENTS`` are
spelt as the writer writes them.
"""

from __future__ import annotations

import re
from typing import Final

from smartrunning.science.workouts import RampKind

__all__ = [
    "DURATION_TYPE",
    "INTERPRETED",
    "METADATA_ELEMENTS",
    "OFF_DURATION_TYPE",
    "RAMP_ELEMENTS",
    "RAMP_KINDS",
    "STEP_KEYS",
    "TARGET_ATTRIBUTES",
    "TEXT_ELEMENTS",
    "XML_NAME",
]

DURATION_TYPE: Final = "durationtype"
"""``durationType`` (lower case): an element, a ``<workout_file>`` or a step attribute."""

OFF_DURATION_TYPE: Final = "SrOffDurationType"
"""Our attribute on ``IntervalsT`` when its off part has another unit than its on part
("time" or "distance"); Zwift ignores it (its files have one unit per element)."""
TARGET_ATTRIBUTES: Final = {"step": "SrTarget", "on": "SrOnTarget", "off": "SrOffTarget"}
"""Our attributes for a pace or heart-rate target (``workouts.Target``), written
``pace:225-230`` (s/km, fastest-slowest) or ``hr:0.65-0.79`` (fractions of HRmax); the
``Power`` values beside them hold the estimate fraction, which is what Zwift reads."""

# Attributes each element's model interprets (lower case); the others are kept verbatim.
INTERPRETED: Final[dict[str, frozenset[str]]] = {
    "SteadyState": frozenset(
        {"duration", "power", "powerlow", "powerhigh", DURATION_TYPE, "srtarget"}
    ),
    "Warmup": frozenset({"duration", "power", "powerlow", "powerhigh", DURATION_TYPE}),
    "Ramp": frozenset({"duration", "power", "powerlow", "powerhigh", DURATION_TYPE}),
    "Cooldown": frozenset({"duration", "power", "powerlow", "powerhigh", DURATION_TYPE}),
    "IntervalsT": frozenset(
        {
            "repeat",
            "onduration",
            "offduration",
            "onpower",
            "offpower",
            "poweronlow",
            "poweronhigh",
            "powerofflow",
            "poweroffhigh",
            DURATION_TYPE,
            "sroffdurationtype",
            "srontarget",
            "srofftarget",
        }
    ),
    "FreeRide": frozenset({"duration", DURATION_TYPE}),
    "MaxEffort": frozenset({"duration", DURATION_TYPE}),
    "textevent": frozenset({"timeoffset", "distoffset", "message"}),
}
RAMP_ELEMENTS: Final[dict[RampKind, str]] = {
    "warmup": "Warmup",
    "ramp": "Ramp",
    "cooldown": "Cooldown",
}
RAMP_KINDS: Final[dict[str, RampKind]] = {tag.lower(): kind for kind, tag in RAMP_ELEMENTS.items()}
# Top-level elements of Zwift's own files that do not change what the workout is; kept.
METADATA_ELEMENTS: Final = frozenset(
    {
        "activitysavename",
        "author_alias",
        "authoricon",
        "category",
        "categoryindex",
        "entid",
        "overridehash",
        "painindex",
        "showcp20",
        "skippable",
        "subcategory",
        "visibleaftertime",
        "visibleoutsideplan",
        "workoutlength",
        "workoutplan",
    }
)
TEXT_ELEMENTS: Final = frozenset({"author", "name", "description", "sporttype", DURATION_TYPE})
"""Top-level elements holding one text value (lower case)."""
STEP_KEYS: Final = frozenset({"steadystate", "intervalst", "freeride", "maxeffort", *RAMP_KINDS})
"""Step elements inside ``<workout>`` (lower case; ``FreeRide`` and ``Freeride`` alike)."""
# Close to XML's Name production; every attribute name the reader kept qualifies.
XML_NAME: Final = re.compile(r"(?:[^\W\d]|:)[\w.:\-]*")
