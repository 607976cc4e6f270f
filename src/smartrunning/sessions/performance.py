"""Marking a whole session as a race or a time trial (or back to training).

The main effort of a session marked as a race or time trial anchors critical speed
(``athletes.bests.classify_session_efforts``; SCIENCE.md, "Which efforts anchor CS"), so
changing the mark recomputes the runner from the session's day: its bests, the CS fitted
to them, and what follows.
"""

from __future__ import annotations

from smartrunning.accounts.models import User
from smartrunning.athletes.models import BestKind, Runner
from smartrunning.platform.db import db
from smartrunning.platform.errors import InvalidInput, NotFound
from smartrunning.platform.transactions import transaction
from smartrunning.sessions import recompute
from smartrunning.sessions.actions import visible_session
from smartrunning.sessions.analysis_state import lock_runner
from smartrunning.sessions.models import TrainingSession

__all__ = ["PERFORMANCE_LABELS", "mark_performance", "parse_performance"]

PERFORMANCE_LABELS = {
    BestKind.TRAINING: "Training",
    BestKind.RACE: "Race",
    BestKind.TIME_TRIAL: "Time trial",
}


def parse_performance(text: str | None) -> BestKind:
    """``race``, ``time_trial`` or ``training``; ``InvalidInput`` otherwise."""
    try:
        return BestKind(text or "")
    except ValueError:
        raise InvalidInput(
            "Mark a session as race, time_trial or training.", field="performance"
        ) from None


def mark_performance(user: User | None, session_id: int, performance: BestKind) -> bool:
    """Mark a session as a race, time trial or training, and recompute from its day;
    commits. ``user`` None (the command line) may mark any session; otherwise it must see
    the session's runner (``NotFound``). Returns False when the mark was already that. A
    refusal is rolled back."""
    with transaction():
        return _mark(user, session_id, performance)


def _mark(user: User | None, session_id: int, performance: BestKind) -> bool:
    if user is None:
        session = db.session.get(TrainingSession, session_id)
        if session is None:
            raise NotFound("No such session.")
    else:
        session = visible_session(user, session_id)
    if session.performance is performance:
        return False
    runner = db.session.get_one(Runner, session.runner_id)
    lock_runner(runner.id, dirty_from=session.local_date)
    session.performance = performance
    recompute.recompute_runner(runner)
    return True
