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
    "RAMP_ELEMENTS",
    "RAMP_KINDS",
    "STEP_KEYS",
    "TEXT_ELEMENTS",
    "XML_NAME",
]

DURATION_TYPE: Final = "durationtype"
"""``durationType`` (lower case): an element, a ``<workout_file>`` or a step attribute."""

# Attributes each element's model interprets (lower case); the others are kept verbatim.
INTERPRETED: Final[dict[str, frozenset[str]]] = {
    "SteadyState": frozenset({"duration", "power", "powerlow", "powerhigh", DURATION_TYPE}),
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
