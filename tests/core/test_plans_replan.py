"""Weekly re-planning's loads, day shares and diff text (science.plans.replan)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartrunning.science.plans.replan import (
    OVER_SHARE,
    OVER_WEEKS,
    DayLoad,
    PastWeek,
    WeekSummary,
    day_targets,
    replan_loads,
    return_share,
    running_over,
    week_text,
)

# A plan built at +10 % a week from 100, pre-plan weeks at its first week.
PLAN = [100.0, 110.0, 121.0, 133.1, 146.4, 161.1, 177.2]


def _followed(done: int, factor: float = 1.0) -> list[PastWeek]:
    pre = [PastWeek(-i, None, 95.0) for i in (3, 2, 1)]
    return pre + [PastWeek(i + 1, PLAN[i], PLAN[i] * factor) for i in range(done)]


def test_followed_plan_keeps_its_weeks() -> None:
    weeks = replan_loads(_followed(4), PLAN[4:], 5, form=-8.0)
    assert [w.load for w in weeks] == PLAN[4:]
    assert not any(w.changed or w.reasons for w in weeks)


def test_missed_week_worked_example() -> None:
    # Weeks 1-3 done as planned, week 4 missed: 7 days off, so (Daniels' return after
    # 6-28 days) week 5 is a return week of 7 days, 3.5 at 50 % and 3.5 at 75 % of the
    # load before the break (week 3's 121): 4.375 / 7 = 62.5 %, 0.625 × 121 = 75.6.
    past = [*_followed(3), PastWeek(4, PLAN[3], 0.0)]
    weeks = replan_loads(past, PLAN[4:], 5, form=12.0)
    assert weeks[0].load == pytest.approx(0.625 * 121.0)
    assert weeks[0].rule == "return"
    assert weeks[0].reasons[:2] == ("week 4 was 100 % under plan", "form is +12")
    assert (
        "back after 7 days off: 62 % of the load before the break (121) (Daniels"
        in (weeks[0].reasons[2])
    )
    # Accepted, then re-planned again on the same day: nothing more comes off.
    again = replan_loads(past, [weeks[0].load, *PLAN[5:]], 5)
    assert [w.load for w in again] == [weeks[0].load, *(w.load for w in weeks[1:])]
    # Week 6: the return is over; the missed and the return weeks count at the load
    # before the break (121) for the caps, so the plan builds from it at +10 %:
    # 1.1 × 121 = 133.1 (the acute:chronic bound, 1.3 × mean(110, 121, 121, 121) =
    # 151.3, does not bind: the missed week does not drag the four-week mean).
    assert weeks[1].load == pytest.approx(1.1 * 121.0)
    assert weeks[1].rule == "growth"
    assert weeks[2].load == pytest.approx(1.1 * 1.1 * 121.0)
    assert all(w.load <= w.planned for w in weeks)


def test_return_share_follows_daniels() -> None:
    # Up to 5 days off: as before; 6-28: 50 % then 75 % over as many days; 7 days
    # off -> 62.5 % of the next week; 14 days -> 50 % then 75 %; over 28 -> the floor.
    assert return_share(5, 0) == 1.0
    assert return_share(6, 0) == pytest.approx((3 * 0.5 + 3 * 0.75 + 1.0) / 7)
    assert return_share(7, 0) == pytest.approx(0.625)
    assert return_share(7, 7) == 1.0
    assert (return_share(14, 0), return_share(14, 7)) == (0.5, 0.75)
    assert return_share(35, 0) == pytest.approx(0.4)


def test_a_partly_missed_week_of_up_to_five_days_resumes_as_before() -> None:
    # Week 4 done at 50 % (3.5 -> 4 days off): Daniels' "resume as before", no return
    # period; for the caps week 4 counts at the load before it (121, not 66.6), so week 5
    # builds from it at the plan's +10 %: 133.1 (the acute:chronic bound, 1.3 × mean(100,
    # 110, 121, 121) = 146.6, is not dragged by the half week).
    past = [*_followed(3), PastWeek(4, PLAN[3], PLAN[3] * 0.5)]
    weeks = replan_loads(past, PLAN[4:], 5)
    assert weeks[0].load == pytest.approx(1.1 * 121.0)
    assert weeks[0].rule == "growth"
    assert not any(w.rule == "return" for w in weeks)


def test_extra_running_gives_back_what_is_above_the_safe_ratio() -> None:
    # Week 4 at 1.4 × 133.1 = 186.3 against the four weeks before it (100, 100, 110,
    # 121: mean 107.75): 1.3 × 107.75 = 140.1 is Gabbett's safe ratio; the 46.3 above it
    # (less than the 53.2 over plan) comes off week 5: 146.41 - 46.27 = 100.1.
    past = [*_followed(3), PastWeek(4, PLAN[3], PLAN[3] * 1.4)]
    weeks = replan_loads(past, PLAN[4:], 5, form=-25.0)
    back = PLAN[3] * 1.4 - 1.3 * (100 + 100 + 110 + 121) / 4
    assert weeks[0].load == pytest.approx(PLAN[4] - back)
    assert weeks[0].rule == "extra"
    assert weeks[0].reasons[0] == "week 4 was 40 % over plan"
    assert weeks[0].reasons[1] == "form is −25"
    assert "46 rTSS of week 4 was above 1.3 × its four weeks before (108" in weeks[0].reasons[2]
    # The week after is back on plan: the growth and acute:chronic caps are high.
    assert weeks[1].load == PLAN[5]


def test_extra_running_within_the_safe_ratio_gives_nothing_back() -> None:
    # Week 4 at 1.25 × plan (over the 10 % tolerance) but within 1.3 × the four weeks
    # before it (all at 133.1): nothing comes off (Gabbett's safe ratio kept).
    past = [PastWeek(i, 133.1, 133.1) for i in range(1, 4)]
    past.append(PastWeek(4, 133.1, 133.1 * 1.25))  # 166.4 < 1.3 × 133.1 = 173.0
    weeks = replan_loads(past, [146.4], 5)
    assert weeks[0].load == 146.4


def test_recovery_week_after_a_return_keeps_its_plan() -> None:
    plan = [146.4, 110.0, 161.1]  # week 6 a recovery week at 75 %
    past = [*_followed(3), PastWeek(4, PLAN[3], 0.0)]
    weeks = replan_loads(past, plan, 5)
    assert weeks[0].rule == "return"
    assert weeks[1].load == 110.0  # the return week took its share; no shape after it
    assert weeks[2].load == pytest.approx(1.1 * 121.0)


def test_recovery_week_keeps_its_shape() -> None:
    # Four weeks at 80 % (1 day off each: counted at the load before, 100, until week 4's
    # 106.5): week 5 at 1.1 × 106.5 = 117.1; the recovery week 6 as much easier.
    plan = [146.4, 110.0, 161.1]
    weeks = replan_loads(_followed(4, 0.8), plan, 5)
    assert weeks[0].load == pytest.approx(1.1 * 133.1 * 0.8)
    assert weeks[1].load == pytest.approx(110.0 * weeks[0].load / 146.4)
    assert weeks[1].rule == "shape"


def test_four_weeks_off_return_at_half_then_three_quarters() -> None:
    past = [PastWeek(i, 100.0, 0.0) for i in range(1, 5)]
    # 28 days off after weeks before the plan at 100: 14 days at 50, 14 at 75, then
    # the plan's growth from the load before the break (1.1 × 100).
    weeks = replan_loads(past, [110.0, 120.0, 130.0, 140.0, 150.0], 5)
    assert [w.load for w in weeks] == pytest.approx([50.0, 50.0, 75.0, 75.0, 110.0])


def test_a_break_over_28_days_is_held_at_the_floor() -> None:
    past = [PastWeek(i, 100.0, 0.0) for i in range(1, 6)]
    weeks = replan_loads(past, [110.0], 6)
    assert weeks[0].load == pytest.approx(44.0)
    assert "generate the plan again" in weeks[0].reasons[-1]


def test_needs_a_week_done() -> None:
    with pytest.raises(ValueError, match="at least one week"):
        replan_loads([], [100.0], 1)


loads = st.floats(min_value=0.0, max_value=800.0, allow_nan=False)


@given(
    st.lists(st.tuples(loads, loads), min_size=1, max_size=8),
    st.lists(st.floats(min_value=1.0, max_value=800.0), min_size=1, max_size=12),
)
def test_never_above_plan_and_never_below_floor(
    past: list[tuple[float, float]], planned: list[float]
) -> None:
    weeks = replan_loads(
        [PastWeek(i + 1, p, a) for i, (p, a) in enumerate(past)], planned, len(past) + 1
    )
    assert len(weeks) == len(planned)
    for week, plan in zip(weeks, planned, strict=True):
        assert week.planned == plan
        assert 0.4 * plan - 1e-9 <= week.load <= plan
        assert week.changed == bool(week.reasons)


@given(
    st.floats(min_value=50.0, max_value=400.0),
    st.lists(st.floats(min_value=1.0, max_value=1.1), min_size=2, max_size=12),
    st.integers(min_value=1, max_value=6),
    st.floats(min_value=0.96, max_value=1.1),
)
def test_a_followed_plan_is_not_changed(
    start: float, growth: list[float], done: int, compliance: float
) -> None:
    """A plan whose weeks meet the plan's own caps, followed within the tolerance (96-110 %
    of each week), keeps every remaining week."""
    plan = [start]
    for g in growth:
        plan.append(plan[-1] * g)
    done = min(done, len(plan) - 1)
    past = [PastWeek(-1, None, start * 0.9)] + [
        PastWeek(i + 1, plan[i], plan[i] * compliance) for i in range(done)
    ]
    weeks = replan_loads(past, plan[done:], done + 1)
    assert [w.load for w in weeks] == plan[done:]


def _days() -> list[DayLoad]:
    monday = dt.date(2026, 3, 2)
    return [
        DayLoad(monday + dt.timedelta(days=i), i // 7, 10.0 + i, fixed=i in (9, 12))
        for i in range(21)
    ]


def test_day_targets_worked_example() -> None:
    days = _days()
    cut = days[7].date
    new = day_targets(days, cut, {1: 100.0})
    week = [d for d in days if d.week == 1]
    fixed = 19.0 + 22.0
    free = sum(d.load for d in week) - fixed
    assert set(new) == {7, 8, 10, 11, 13}
    assert new[7] == pytest.approx(17.0 * (100.0 - fixed) / free)
    assert sum(new.values()) + fixed == pytest.approx(100.0)


@given(
    st.integers(min_value=0, max_value=20),
    st.dictionaries(st.integers(0, 2), st.floats(min_value=0.0, max_value=500.0), max_size=3),
)
def test_days_before_the_cut_and_fixed_days_never_change(
    cut_index: int, week_loads: dict[int, float]
) -> None:
    days = _days()
    cut = days[cut_index].date
    new = day_targets(days, cut, week_loads)
    for i in new:
        assert days[i].date >= cut
        assert not days[i].fixed
        assert new[i] >= 0
    for week, target in week_loads.items():
        if any(i for i in new if days[i].week == week):
            total = sum(new.get(i, d.load) for i, d in enumerate(days) if d.week == week)
            assert total == pytest.approx(target)


def test_week_text() -> None:
    before = WeekSummary(410.0, 62_000.0, 5.67 * 3600, 28_000.0, ("6 × 1 km I", "Tempo 30 min"))
    after = WeekSummary(336.0, 51_000.0, 4.65 * 3600, 24_000.0, ("5 × 1 km I", "Tempo 30 min"))
    text = week_text(7, before, after, ["week 6 was 40 % under plan", "form is −22"])
    assert text == (
        "week 7: −18 % load (410 → 336), 62 → 51 km, 5:40 → 4:39, long run 28 → 24 km, "
        "6 × 1 km I → 5 × 1 km I, because week 6 was 40 % under plan, form is −22"
    )


def test_running_over_plan_is_told_from_two_weeks_at_20_percent() -> None:
    pre = [PastWeek(w, None, 300.0) for w in (-3, -2, -1, 0)]
    assert (OVER_SHARE, OVER_WEEKS) == (0.20, 2)

    def weeks(*ratios: float) -> list[PastWeek]:
        return pre + [PastWeek(i + 1, 200.0, 200.0 * r) for i, r in enumerate(ratios)]

    assert running_over(weeks(1.4)) is None  # one week
    assert running_over(weeks(1.4, 1.19)) is None  # the last under 20 %
    assert running_over(weeks(1.4, 1.4, 1.0)) is None  # not the last weeks
    note = running_over(weeks(1.0, 1.2, 1.4))
    assert note is not None
    assert note.startswith("weeks 2–3 ran 20 % and 40 % over plan (20 % or more over for 2 weeks")
    assert "does not raise the plan" in note
    assert running_over(weeks(1.4, 1.4, 1.4)) == running_over(weeks(1.4, 1.4, 1.4))
    same = running_over(weeks(1.4, 1.4, 1.4))
    assert same is not None
    assert same.startswith("weeks 1–3 ran 40 % over plan each")
    spread = running_over(weeks(1.3, 1.5, 1.25, 1.45))
    assert spread is not None
    assert spread.startswith("weeks 1–4 ran 25–50 % over plan")
    # The weeks before the plan (no plan) never count.
    assert running_over([PastWeek(0, None, 900.0), PastWeek(1, 200.0, 300.0)]) is None
