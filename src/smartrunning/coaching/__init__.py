"""The coach's roster: the start page per role, the athletes dashboard (who trained when),
and deleting a runner with everything that is theirs (``deletion``), on the page, in the
API and in the CLI."""
