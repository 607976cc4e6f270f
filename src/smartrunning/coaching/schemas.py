"""What deleting a runner removed, as the page, the API and the CLI show it:
:class:`DeletedRunner` (built by ``deletion.remove_runner``, which counts as it deletes);
the API serialises it with :data:`RunnerDeletedSchema`, derived from the same fields, and
``runner delete --json`` prints :meth:`~smartrunning.platform.shapes.Shape.as_dict`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from smartrunning.platform.shapes import Shape, doc, schema_of

__all__ = ["DeletedRunner", "RunnerDeletedSchema"]


@dataclass(frozen=True, slots=True)
class DeletedRunner(Shape):
    """What a deletion removed."""

    runner_id: int
    name: str
    sessions: int = field(metadata=doc("Sessions deleted with the runner"))
    import_jobs: int
    blobs_deleted: int = field(metadata=doc("Stored files no one else uses"))
    login_deactivated: str | None = field(metadata=doc("The runner's own login, now inactive"))


RunnerDeletedSchema = schema_of(DeletedRunner, name="RunnerDeletedSchema")
