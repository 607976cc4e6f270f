"""Training plans: plan schemas (``plan_schemas``), plans generated for a runner toward a
race (``actions``), their stored JSON (``stored``), compliance of completed sessions
(``compliance``), exports (``exports``: iCalendar), and the planned load the history is
projected over (``projection``). Pages: generation, the plan's calendar, day editing,
regeneration, downloads, the schema editor (``schema_views``)."""
