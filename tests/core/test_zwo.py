"""ZWO reading and writing: tolerant rules, round trips, attacks, broken files."""

from __future__ import annotations

from pathlib import Path

import pytest
from defusedxml import ElementTree as DefusedET
from hypothesis import given, settings
from hypothesis import strategies as st

from smartrunning.science.workouts import (
    MAX_EXTENT,
    MAX_SEGMENTS,
    MIN_DISTANCE_INTENSITY,
    Extent,
    ExtentUnit,
    Free,
    Intervals,
    MaxEffort,
    Ramp,
    RampKind,
    Steady,
    Step,
    Target,
    TextEvent,
    Workout,
    step_unit,
)
from smartrunning.science.zwo import MAX_ZWO_BYTES, ZwoError, read_zwo, write_zwo
from tests.core.zwodata import fixture, zwo

# --- tolerant reading -------------------------------------------------------------------


def test_tolerant_file_reads_every_quirk() -> None:
    workout = read_zwo(fixture("tolerant.zwo"))

    assert workout.name == "Tolerant quirks"
    assert workout.sport == "run"
    assert workout.tags == ("kind:threshold", "INTERVALS")
    assert workout.kind == "threshold"
    assert workout.metadata == (("category", "Imported"),)
    warmup, power_wins, range_only, flat_ramp, intervals, free1, free2, sprint, cool = workout.steps
    assert warmup == Ramp("warmup", Extent(600.0), 0.6, 0.8, (), (("pace", "2"), ("units", "1")))
    assert power_wins == Steady(Extent(300.0), 0.9, (), (("Cadence", "88"),))
    assert isinstance(range_only, Steady)
    assert range_only.intensity == pytest.approx(0.9)
    assert flat_ramp == Ramp("ramp", Extent(120.0), 0.95, 0.95)
    assert isinstance(intervals, Intervals)
    assert intervals.repeat == 1
    assert intervals.attributes == (("pace", "3"),)
    assert intervals.events == (
        TextEvent(Extent(0.0), "First and only repeat", (("Duration", "10"),)),
    )
    assert free1 == Free(Extent(120.0), (), (("FlatRoad", "1"),))
    assert isinstance(free2, Free)
    assert [e.message for e in free2.events] == ["Your choice", "Halfway"]
    assert free2.events[0].attributes == (("y", "240"),)
    assert sprint == MaxEffort(Extent(20.0))
    assert cool == Ramp("cooldown", Extent(600.0), 0.8, 0.5)
    assert workout.events == (TextEvent(Extent(1800.0), "A message outside any step"),)


def test_cooldown_goes_from_high_to_low_in_the_timeline() -> None:
    workout = read_zwo(fixture("tolerant.zwo"))
    last = workout.timeline()[-1]
    assert last.kind == "cooldown"
    assert last.intensity_start > last.intensity_end


@pytest.mark.parametrize("tag", ["FreeRide", "Freeride", "freeride"])
def test_free_ride_in_any_spelling(tag: str) -> None:
    workout = read_zwo(zwo(f'<{tag} Duration="60"/>'))
    assert workout.steps == (Free(Extent(60.0)),)


def test_missing_repeat_means_one_and_explicit_repeat_is_kept() -> None:
    body = (
        '<IntervalsT OnDuration="60" OffDuration="30" OnPower="1.1" OffPower="0.6"/>\n'
        '<IntervalsT Repeat="5" OnDuration="60" OffDuration="30" OnPower="1.1" OffPower="0.6"/>'
    )
    first, second = read_zwo(zwo(body)).steps
    assert isinstance(first, Intervals)
    assert isinstance(second, Intervals)
    assert (first.repeat, second.repeat) == (1, 5)


def test_power_overrides_low_and_high_on_ramps_too() -> None:
    (step,) = read_zwo(
        zwo('<Warmup Duration="60" PowerLow="0.3" PowerHigh="0.5" Power="0.8"/>')
    ).steps
    assert step == Ramp("warmup", Extent(60.0), 0.8, 0.8)


def test_distance_file_reads_metres_and_keeps_pace() -> None:
    workout = read_zwo(fixture("distance.zwo"))
    warmup, intervals, cooldown = workout.steps
    assert warmup == Ramp("warmup", Extent(2000.0, "m"), 0.65, 0.8, (), (("pace", "0"),))
    assert isinstance(intervals, Intervals)
    assert (intervals.on, intervals.off) == (Extent(400.0, "m"), Extent(200.0, "m"))
    assert intervals.events == (TextEvent(Extent(0.0, "m"), "Go"),)
    assert intervals.attributes == (("pace", "0"),)
    assert step_unit(cooldown) == "m"
    assert workout.total_distance_m(4.0) == pytest.approx(2000 + 10 * 600 + 1000)


def test_duration_type_on_the_root_element() -> None:
    data = (
        b'<workout_file durationType="distance"><workout>'
        b'<SteadyState Duration="1000" Power="1"/></workout></workout_file>'
    )
    assert read_zwo(data).steps == (Steady(Extent(1000.0, "m"), 1.0),)


def test_mixed_units_per_step() -> None:
    workout = read_zwo(fixture("mixed-units.zwo"))
    assert [step_unit(step) for step in workout.steps] == ["s", "m", "m", "s"]
    again = read_zwo(write_zwo(workout))
    assert again == workout


def test_bike_workout_is_kept_as_bike_with_ftp_fractions() -> None:
    workout = read_zwo(fixture("bike-no-sport.zwo"))
    assert workout.sport == "bike"
    warmup, intervals, _, _ = workout.steps
    assert warmup == Ramp("warmup", Extent(600.0), 0.5, 0.75)
    assert isinstance(intervals, Intervals)
    assert intervals.on_intensity == pytest.approx(0.9)
    assert intervals.attributes == (("Cadence", "90"), ("CadenceResting", "85"))
    # A bike file has no distance steps, so its totals need no speed.
    assert workout.total_duration_s() == pytest.approx(600 + 2 * 1500 + 15 + 300)
    written = write_zwo(workout)
    assert b"<sportType>bike</sportType>" in written
    assert read_zwo(written) == workout


def test_explicit_bike_sport_type() -> None:
    assert read_zwo(zwo('<FreeRide Duration="60"/>', "<sportType>bike</sportType>")).sport == "bike"


# --- the attribute forms of Zwift's own files ---------------------------------------------


def test_zwift_forms_are_read_as_ranges_ramps_and_text_tags() -> None:
    workout = read_zwo(fixture("zwift-forms.zwo"))

    assert workout.tags == ("INTERVALS", "FTP", "Tempo")
    assert workout.text_tags == ("INTERVALS", "Tempo")
    _, over_unders, tempo, mixed, _ = workout.steps
    assert over_unders == Intervals(
        4,
        Extent(120.0),
        Extent(60.0),
        0.95,
        0.6,
        (),
        (("pace", "0"), ("Cadence", "95")),
        on_intensity_end=1.05,
        off_intensity_end=0.5,
    )
    assert over_unders.on_ends == (0.95, 1.05)
    assert tempo == Steady.ranged(Extent(900.0), 0.76, 0.88, (), (("pace", "0"),))
    assert tempo.intensity == pytest.approx(0.82)
    assert isinstance(mixed, Intervals)
    assert mixed.on_ends == (1.2, 1.2)
    assert mixed.on_intensity_end is None
    assert mixed.off_ends == (0.4, 0.55)


def test_ramped_intervals_ramp_in_the_timeline_and_the_estimates() -> None:
    workout = read_zwo(fixture("zwift-forms.zwo"))
    on, off = workout.timeline()[1:3]
    assert (on.kind, on.intensity_start, on.intensity_end) == ("on", 0.95, 1.05)
    assert (off.kind, off.intensity_start, off.intensity_end) == ("off", 0.6, 0.5)
    # One on part: 120 s ramping 0.95 → 1.05, IF² averaged over time (a² + ab + b²) / 3.
    on_ramp = Intervals(1, Extent(120.0), Extent(0.0), 0.95, 0.0, (), (), 1.05)
    one_on = Workout("x", "bike", (on_ramp,))
    expected = 120 / 3600 * 100 * (0.95**2 + 0.95 * 1.05 + 1.05**2) / 3
    assert one_on.estimated_load() == pytest.approx(expected)
    # A ranged steady step is estimated at the middle of its band.
    band = Workout("x", "run", (Steady.ranged(Extent(1000.0, "m"), 0.8, 1.0),))
    assert band.total_duration_s(4.0) == pytest.approx(1000 / (0.9 * 4.0))


def test_zwift_forms_are_written_back_in_the_form_read() -> None:
    written = write_zwo(read_zwo(fixture("zwift-forms.zwo")))
    text = written.decode()
    assert (
        '<IntervalsT Repeat="4" OnDuration="120" OffDuration="60" PowerOnLow="0.95" '
        'PowerOnHigh="1.05" PowerOffLow="0.6" PowerOffHigh="0.5" pace="0" Cadence="95"/>'
    ) in text
    assert '<SteadyState Duration="900" PowerLow="0.76" PowerHigh="0.88" pace="0"/>' in text
    assert 'OnPower="1.2" PowerOffLow="0.4" PowerOffHigh="0.55"' in text
    assert "<tag>INTERVALS</tag>" in text
    assert '<tag name="FTP"/>' in text
    assert "<tag>Tempo</tag>" in text
    assert "Power=" not in text.split("<SteadyState", 1)[1].split("/>", 1)[0]
    assert read_zwo(written) == read_zwo(fixture("zwift-forms.zwo"))
    assert write_zwo(read_zwo(written)) == written


def test_zwift_forms_mean_the_same_after_a_round_trip() -> None:
    """The bytes' meaning, read by a plain XML parser rather than ours: the same steps,
    the same numbers under the same attribute names, the same tags."""

    def meaning(data: bytes) -> list[tuple[str, dict[str, float | str]]]:
        root = DefusedET.fromstring(data)
        steps = [
            (el.tag, {k: float(v) if k != "pace" else v for k, v in el.attrib.items()})
            for el in root.find("workout") or []
        ]
        tags = [(t.get("name") or (t.text or "").strip()) for t in root.iter("tag")]
        return [*steps, ("tags", {str(i): tag for i, tag in enumerate(tags)})]

    original = fixture("zwift-forms.zwo")
    assert meaning(write_zwo(read_zwo(original))) == meaning(original)


def test_power_on_wins_over_ramped_on_attributes() -> None:
    data = zwo(
        '<IntervalsT Repeat="2" OnDuration="60" OffDuration="30" OnPower="1.1" '
        'PowerOnLow="0.9" PowerOnHigh="1.0" OffPower="0.5"/>'
    )
    (step,) = read_zwo(data).steps
    assert isinstance(step, Intervals)
    assert step.on_ends == (1.1, 1.1)


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (
            '<IntervalsT OnDuration="60" OffDuration="30" PowerOnLow="0.9" OffPower="0.5"/>',
            "OnPower attribute (or PowerOnLow and PowerOnHigh)",
        ),
        (
            '<IntervalsT OnDuration="60" OffDuration="30" OnPower="1" PowerOffHigh="0.5"/>',
            "OffPower attribute (or PowerOffLow and PowerOffHigh)",
        ),
        (
            '<IntervalsT OnDuration="60" OffDuration="30" PowerOnLow="x" PowerOnHigh="1" '
            'OffPower="0.5"/>',
            "PowerOnLow must be a number",
        ),
        (
            '<IntervalsT OnDuration="60" OffDuration="30" PowerOnLow="0.9" PowerOnHigh="9" '
            'OffPower="0.5"/>',
            "on end intensity must be a fraction",
        ),
        ('<SteadyState Duration="60" PowerLow="0.7"/>', "Power attribute (or PowerLow and"),
        ('<SteadyState Duration="60" PowerLow="0.7" PowerHigh="-1"/>', "range high"),
    ],
)
def test_incomplete_or_bad_zwift_forms_name_the_line(body: str, words: str) -> None:
    with pytest.raises(ZwoError, match=r"^line 3: ") as caught:
        read_zwo(zwo(body))
    assert words in str(caught.value)


def test_a_ranged_step_whose_intensity_is_not_its_middle_is_refused() -> None:
    with pytest.raises(ValueError, match="middle of its range"):
        Steady(Extent(60.0), 0.9, (), (), (0.7, 0.8))


def test_text_tags_must_be_tags() -> None:
    with pytest.raises(ValueError, match="not one of the tags"):
        Workout("x", "run", (Free(Extent(60.0)),), tags=("a",), text_tags=("b",))


def test_writer_refuses_a_kept_attribute_that_would_override_a_ramped_interval() -> None:
    step = Intervals(1, Extent(60.0), Extent(0.0), 0.9, 0.5, (), (("OnPower", "1"),), 1.0)
    with pytest.raises(ValueError, match="cannot be written"):
        write_zwo(Workout("x", "bike", (step,)))


# --- round trips --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["tolerant.zwo", "distance.zwo", "mixed-units.zwo", "bike-no-sport.zwo", "zwift-forms.zwo"],
)
def test_read_write_read_gives_the_same_workout(name: str) -> None:
    workout = read_zwo(fixture(name))
    written = write_zwo(workout)
    assert read_zwo(written) == workout
    assert write_zwo(read_zwo(written)) == written


def test_kept_attributes_are_written_back_unchanged() -> None:
    written = write_zwo(read_zwo(fixture("tolerant.zwo")))
    assert b'pace="2" units="1"' in written
    assert b'Cadence="88"' in written
    assert b"<category>Imported</category>" in written


_XML_TEXT = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")).filter(
    lambda c: c not in "\ufffe\uffff"
) | st.sampled_from("\t\n\r&<>\"'")
_text = st.text(_XML_TEXT, max_size=30)
_stripped = _text.map(str.strip)
_extra_names = st.sampled_from(["pace", "units", "Cadence", "CadenceLow", "FlatRoad", "y", "Zone"])


@st.composite
def _attributes(draw: st.DrawFn) -> tuple[tuple[str, str], ...]:
    names = draw(st.lists(_extra_names, max_size=3, unique_by=str.lower))
    return tuple((name, draw(_text)) for name in names)


@st.composite
def _extent(draw: st.DrawFn, unit: ExtentUnit, minimum: float = 0.0, share: float = 1.0) -> Extent:
    return Extent(draw(st.floats(minimum, MAX_EXTENT[unit] * share)), unit)


_STEPS_MAX = 6
"""Steps of a generated workout; each takes at most its share of the whole workout's
bounds (``MAX_EXTENT`` and ``MAX_SEGMENTS`` hold for the whole, repetitions counted)."""


def _positive(unit: ExtentUnit, share: float = 1.0 / _STEPS_MAX) -> st.SearchStrategy[Extent]:
    return _extent(unit, share=share).filter(lambda e: e.value > 0.0)


@st.composite
def _events(draw: st.DrawFn) -> tuple[TextEvent, ...]:
    events = draw(
        st.lists(
            st.builds(
                TextEvent,
                st.one_of(_extent("s"), _extent("m")),
                _text,
                _attributes(),
            ),
            max_size=2,
        )
    )
    return tuple(events)


@st.composite
def _targets(draw: st.DrawFn) -> Target | None:
    """A pace or heart-rate target (or none), for the target kinds the editor offers."""
    kind = draw(st.sampled_from(["cs", "pace", "hr"]))
    if kind == "cs":
        return None
    bounds = (60.0, 1800.0) if kind == "pace" else (0.3, 1.0)
    a, b = draw(st.floats(*bounds)), draw(st.floats(*bounds))
    return Target(kind, min(a, b), max(a, b))


@st.composite
def _step(draw: st.DrawFn) -> Step:
    unit: ExtentUnit = draw(st.sampled_from(["s", "m"]))
    low = MIN_DISTANCE_INTENSITY if unit == "m" else 0.0
    intensity = st.floats(low, 5.0)
    events = draw(_events())
    attributes = draw(_attributes())
    kind = draw(st.sampled_from(["steady", "ramp", "intervals", "free", "max"]))
    if kind == "steady":
        if draw(st.booleans()):
            low, high = draw(intensity), draw(intensity)
            return Steady.ranged(draw(_positive(unit)), low, high, events, attributes)
        target = draw(_targets())
        return Steady(draw(_positive(unit)), draw(intensity), events, attributes, target=target)
    if kind == "ramp":
        ramp_kind: RampKind = draw(st.sampled_from(["warmup", "ramp", "cooldown"]))
        return Ramp(
            ramp_kind, draw(_positive(unit)), draw(intensity), draw(intensity), events, attributes
        )
    if kind == "intervals":
        repeat = draw(st.integers(1, MAX_SEGMENTS // (2 * _STEPS_MAX)))
        share = 1.0 / (2 * repeat * _STEPS_MAX)
        # The off part in its own unit (800 m on, 90 s off) as often as not.
        off_unit: ExtentUnit = draw(st.sampled_from(["s", "m"]))
        off_low = MIN_DISTANCE_INTENSITY if off_unit == "m" else 0.0
        on_target, off_target = draw(_targets()), draw(_targets())
        return Intervals(
            repeat,
            draw(_positive(unit, share)),
            draw(_extent(off_unit, share=share)),
            draw(intensity),
            draw(st.floats(off_low, 5.0)),
            events,
            attributes,
            None if on_target else draw(st.none() | intensity),
            None if off_target else draw(st.none() | st.floats(off_low, 5.0)),
            on_target,
            off_target,
        )
    if kind == "free":
        return Free(draw(_positive(unit)), events, attributes)
    return MaxEffort(draw(_positive(unit)), events, attributes)


@st.composite
def _workouts(draw: st.DrawFn) -> Workout:
    tags = tuple(draw(st.lists(_stripped.filter(bool), max_size=3)))
    return Workout(
        name=draw(_stripped),
        sport=draw(st.sampled_from(["run", "bike"])),
        steps=tuple(draw(st.lists(_step(), min_size=1, max_size=_STEPS_MAX))),
        author=draw(_stripped),
        description=draw(_stripped),
        tags=tags,
        events=draw(_events()),
        metadata=tuple(
            draw(
                st.lists(
                    st.tuples(
                        st.sampled_from(["category", "subcategory", "categoryIndex"]), _stripped
                    ),
                    max_size=2,
                )
            )
        ),
        # Each distinct tag as element text or as an attribute.
        text_tags=tuple(t for t in dict.fromkeys(tags) if draw(st.booleans())),
    )


@given(_workouts())
@settings(max_examples=200, deadline=None)
def test_write_then_read_gives_the_same_workout(workout: Workout) -> None:
    written = write_zwo(workout)
    assert read_zwo(written) == workout
    assert write_zwo(read_zwo(written)) == written


def test_unusual_attribute_names_are_kept() -> None:
    data = zwo('<SteadyState Duration="60" Power="1" xz:note="a" Kadenz_ü="90" show_avg="1"/>')
    workout = read_zwo(data)
    assert workout.steps[0].attributes == (("xz:note", "a"), ("Kadenz_ü", "90"), ("show_avg", "1"))
    assert read_zwo(write_zwo(workout)) == workout


@pytest.mark.parametrize("name", ["power", "DURATION", "1st", "a b", 'x"y'])
def test_writer_refuses_kept_attributes_it_would_misread(name: str) -> None:
    workout = Workout("x", "run", (Steady(Extent(60.0), 0.7, (), ((name, "1"),)),))
    with pytest.raises(ValueError, match="cannot be written"):
        write_zwo(workout)


def test_writer_refuses_unknown_metadata() -> None:
    workout = Workout("x", "run", (Free(Extent(60.0)),), metadata=(("ftpOverride", "100"),))
    with pytest.raises(ValueError, match="cannot be written"):
        write_zwo(workout)


def test_writer_escapes_markup_and_line_breaks() -> None:
    workout = Workout(
        name='<b>"Tom" & Jerry</b>',
        sport="run",
        steps=(Steady(Extent(60.0), 0.7, (TextEvent(Extent(1.0), 'a\r\n"b"\t<c>'),)),),
        description="line 1\r\nline 2",
    )
    assert read_zwo(write_zwo(workout)) == workout


# --- attacks ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "line"),
    [
        ("billion-laughs.zwo", 2),
        ("xxe-passwd.zwo", 2),
        ("xxe-parameter.zwo", 2),
        ("external-dtd.zwo", 2),
    ],
)
def test_dtds_and_entities_are_refused(name: str, line: int) -> None:
    with pytest.raises(ZwoError, match="DTD") as caught:
        read_zwo(fixture(name))
    assert caught.value.line == line


def test_external_entity_never_reads_the_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    data = (
        f'<?xml version="1.0"?>\n<!DOCTYPE w [<!ENTITY s SYSTEM "{secret.as_uri()}">]>\n'
        "<workout_file><name>&s;</name><workout><FreeRide Duration='60'/></workout></workout_file>"
    ).encode()
    with pytest.raises(ZwoError) as caught:
        read_zwo(data)
    assert "TOP-SECRET" not in str(caught.value)


def test_undefined_entity_is_a_parse_error_with_line() -> None:
    with pytest.raises(ZwoError, match="line 3: not well-formed XML: undefined entity"):
        read_zwo(fixture("undefined-entity.zwo"))


def test_oversized_file_is_refused_before_parsing() -> None:
    with pytest.raises(ZwoError, match="too large"):
        read_zwo(b" " * (MAX_ZWO_BYTES + 1))


# --- broken files -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "line", "words"),
    [
        ("broken-unclosed.zwo", 6, "mismatched tag"),
        ("broken-unknown-element.zwo", 7, "unknown element <Sprint>"),
        ("broken-duration-text.zwo", 7, "Duration must be a number, got 'ten minutes'"),
        ("broken-negative-duration.zwo", 8, "OnDuration: extent must not be negative"),
        ("broken-missing-power.zwo", 6, "needs a Power attribute"),
    ],
)
def test_broken_files_name_the_line(name: str, line: int, words: str) -> None:
    with pytest.raises(ZwoError) as caught:
        read_zwo(fixture(name))
    assert caught.value.line == line
    assert str(caught.value).startswith(f"line {line}: ")
    assert words in str(caught.value)


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ('<SteadyState Duration="60" Power="75"/>', "fraction between 0 and 5"),
        ('<SteadyState Duration="nan" Power="1"/>', "must be a number"),
        ('<SteadyState Duration="1e999" Power="1"/>', "must be a number"),
        ('<SteadyState Duration="1_000" Power="1"/>', "must be a number"),
        ('<SteadyState Duration="0" Power="1"/>', "must be positive"),
        ('<SteadyState Duration="60" Power="-0.5"/>', "fraction between 0 and 5"),
        ('<SteadyState Duration="60" Power="1" power="2"/>', "has both Power and power"),
        ('<SteadyState Duration="60" Power="1" durationType="laps"/>', "durationType"),
        ('<SteadyState Duration="60" Power="1"><Sprint/></SteadyState>', "unexpected <Sprint>"),
        ('<Warmup Duration="60" PowerLow="0.5"/>', "needs PowerLow and PowerHigh"),
        (
            '<IntervalsT Repeat="0" OnDuration="6" OffDuration="6" OnPower="1" OffPower="1"/>',
            "repeat",
        ),
        (
            '<IntervalsT Repeat="2.5" OnDuration="6" OffDuration="6" OnPower="1" OffPower="1"/>',
            "whole",
        ),
        ('<IntervalsT Repeat="2" OffDuration="6" OnPower="1" OffPower="1"/>', "needs a OnDuration"),
        ('<textevent message="no offset"/>', "needs a timeoffset"),
    ],
)
def test_malformed_values_give_zwo_error_with_line(body: str, words: str) -> None:
    with pytest.raises(ZwoError, match=r"^line 3: ") as caught:
        read_zwo(zwo(body))
    assert words in str(caught.value)


def test_a_workout_without_steps_names_the_workout_line() -> None:
    with pytest.raises(ZwoError, match=r"^line 2: a workout needs at least one step"):
        read_zwo(zwo(""))


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "no element found"),
        (b"<gpx><trk/></gpx>", "not a ZWO file"),
        (b"<workout_file><name>x</name></workout_file>", "no <workout>"),
        (b"<workout_file><sportType>swim</sportType><workout/></workout_file>", "sportType"),
        (b"<workout_file><ftpOverride>100</ftpOverride><workout/></workout_file>", "ftpOverride"),
        (b"<workout_file><name>a</name><name>b</name><workout/></workout_file>", "twice"),
        (b"<workout_file><name><b>x</b></name><workout/></workout_file>", "unexpected <b>"),
        (b"<workout_file><foo/><workout/></workout_file>", "unknown element <foo>"),
        (b"\xff\xfe\x00garbage", "not well-formed"),
    ],
)
def test_not_a_workout(data: bytes, words: str) -> None:
    with pytest.raises(ZwoError, match=words):
        read_zwo(data)


def test_zwo_error_is_a_value_error() -> None:
    assert issubclass(ZwoError, ValueError)


@pytest.mark.parametrize("encoding", ["x-klingon", "UTF-7", "UTF-32"])
def test_a_declared_encoding_expat_cannot_read_is_a_zwo_error(encoding: str) -> None:
    data = f'<?xml version="1.0" encoding="{encoding}"?><workout_file/>'.encode()
    with pytest.raises(ZwoError, match="unsupported encoding"):
        read_zwo(data)
