"""What a runner reads on a planned day: what to do and how it should feel, in plain words.

The generator's reasons (Daniels' caps, the taper's depth, the race prediction's model,
load targets) are for the coach: they stay on the day as ``PlannedDay.why`` and the plan
page shows them to coaches; the runner's home and watch files carry ``PlannedDay.notes``,
made here from the day's kind and those reasons (``runner_notes``).

How each kind should feel, by Daniels' descriptions of his intensities (Daniels' Running
Formula, ch. 4: easy running "conversational", threshold "comfortably hard", intervals
"hard", repetitions fast but relaxed) and the library's own descriptions (strides
"relaxed and tall, never a sprint"; hills "by effort").
"""

from __future__ import annotations

from typing import Final

__all__ = ["FEEL", "runner_notes"]

FEEL: Final[dict[str, str]] = {
    "easy": "Easy running: relaxed, at a pace you could chat at in full sentences.",
    "recovery": "Very easy and short, to recover: slower than your easy runs is fine.",
    "long": "Long and easy: a steady, conversational pace from start to finish.",
    "progression": "Start easy and finish at a strong, steady effort, never a race.",
    "tempo": (
        "The fast part comfortably hard: you could say a few words, not talk; steady, "
        "not straining."
    ),
    "threshold": (
        "The fast parts comfortably hard: you could say a few words, not talk; easy "
        "jogging between them."
    ),
    "vo2max": (
        "The repetitions hard: breathing heavily, a pace you could keep up for about 10 "
        "minutes in a race; jog easily between them."
    ),
    "hills": (
        "Uphill hard but controlled, by effort, not pace; jog or walk back down and start "
        "the next one when your breathing has settled."
    ),
    "race-pace": (
        "The fast parts at your race pace: controlled, the rhythm you will race at; easy "
        "jogging between them."
    ),
    "strides": (
        "Easy running, then short, relaxed accelerations: quick and light, tall, never a "
        "sprint; walk or jog between them."
    ),
    "race": "Race day: start at your race pace, not faster, and run your own race.",
}
"""How a session of each kind should feel (module doc)."""

BECAUSE: Final[tuple[tuple[str, str], ...]] = (
    ("the next day is the race", "Keep it easy today: tomorrow is race day."),
    ("the next day is the long run", "Keep it easy today: tomorrow is your long run."),
    ("the day before was a hard day", "Keep it easy today: yesterday was a hard day."),
    ("taper:", "Taper: less running so you are fresh on race day; the fast parts keep their pace."),
    ("strides instead of ", "A lighter session this week: easy running and strides, no hard work."),
    ("easy run instead of ", "A lighter session this week: an easy run, no hard workout."),
    (
        " runs this week, not ",
        "Fewer runs this week than your training days: the others come back as your "
        "running builds up. Rest on the days without a run.",
    ),
)
"""A reason the coach reads (a part of it) and what the runner reads instead."""


def runner_notes(kind: str, why: tuple[str, ...], predicted: str | None = None) -> tuple[str, ...]:
    """The runner's notes for a day of ``kind`` the generator planned for the reasons
    ``why`` (module doc); ``predicted``: the race's predicted time, said on race day."""
    out: list[str] = []
    feel = FEEL.get(kind)
    if feel is not None:
        out.append(feel)
    if kind == "race" and predicted is not None:
        out.append(f"Your predicted time: {predicted}.")
    for part, words in BECAUSE:
        if any(part in reason for reason in why) and words not in out:
            out.append(words)
    return tuple(out)
