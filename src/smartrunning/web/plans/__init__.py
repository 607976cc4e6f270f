"""Training plan pages: generation form on a runner, the plan (month and week calendar,
projected fitness chart, warnings, compliance), day editing, regeneration, per-day
``.zwo``/``.fit`` downloads, the secret iCalendar feed, and the plan-schema editor."""
