"""The API documentation page (Swagger UI served by the app itself, no CDN)."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue

from smartrunning.platform.guard import public

__all__ = ["bp"]

bp = Blueprint("api_docs_page", __name__, template_folder="templates")


@bp.get("/api/docs")
@public
def docs() -> ResponseReturnValue:
    """Browse and try the API; authorise with a personal API token."""
    return render_template("api/docs.html")
