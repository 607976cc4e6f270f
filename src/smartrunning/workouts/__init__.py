"""The workout library: ZWO workouts, their structure (``structure``), import of files and
ZIPs (``imports``), targets resolved for a runner on a day (``targets``), summaries, and
the pages (list, detail with a chart, step editor, import, ``.zwo``/``.fit`` downloads),
API and CLI."""
