"""The workout library pages: list, detail with a chart and resolved targets, the step
editor, ZWO/ZIP import with a per-file report, and ``.zwo``/``.fit`` downloads."""
