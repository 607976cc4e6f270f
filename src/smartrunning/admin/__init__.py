"""Administration: users, roles, coach assignments, password resets, deactivation, the
imports and queue overview, and backup and restore of everything (``backup``)."""
