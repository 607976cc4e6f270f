"""Destructive actions on pages: a confirmation step that works without JavaScript, and
an "Undo" banner after a soft deletion (``platform.softdelete``).

A destructive form carries ``data-confirm`` (``static/js/confirm.js`` asks and adds
``confirm=yes``); a POST without ``confirm=yes`` gets :func:`confirm_page` instead of
acting. After a soft deletion, :func:`flash_undo` shows the message with an Undo button
that POSTs to the restore URL.
"""

from __future__ import annotations

from typing import Any

from flask import flash, render_template, request
from flask.typing import ResponseReturnValue

from smartrunning.platform import context

__all__ = ["confirm_page", "confirmed", "flash_undo", "undo_window_words"]


def confirmed() -> bool:
    """Whether the posted form says yes to its confirmation."""
    return request.form.get("confirm") == "yes"


def confirm_page(
    *,
    title: str,
    question: str,
    action: str,
    cancel_url: str,
    button: str = "Delete",
    details: list[str] | None = None,
) -> ResponseReturnValue:
    """The page that asks before a destructive action (its form POSTs ``confirm=yes``)."""
    return render_template(
        "confirm.html",
        title=title,
        question=question,
        action=action,
        cancel_url=cancel_url,
        button=button,
        details=details or [],
    )


def undo_window_words() -> str:
    """How long an undo stays possible, in words ("10 minutes")."""
    seconds = context.settings().undo_window_s
    if seconds % 3600 == 0 and seconds >= 3600:
        hours = seconds // 3600
        return f"{hours} hour{'s' if hours != 1 else ''}"
    minutes = max(1, round(seconds / 60))
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def flash_undo(text: str, undo_url: str) -> None:
    """Show ``text`` with an Undo button (a POST to ``undo_url``) on the next page."""
    message: Any = {  # a dict survives the session cookie; base.html renders the banner
        "text": text,
        "undo": undo_url,
        "note": f"You can undo this for {undo_window_words()}.",
    }
    flash(message, "undo")
