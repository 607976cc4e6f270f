"""Sessions: FIT uploads turned into analysed sessions, and the training-load history.

An upload (single files, ZIPs, a CLI folder) becomes an import job (``uploads``);
``jobs`` runs it, on the queue (``tasks``) or inline: it claims files, expands archives
(``archives``) and hands FIT files to ``ingest`` (decode, check, analyse, store in batches;
``duplicates`` decides which segments become new sessions, ``outcomes`` records each
file's result); completing a job recomputes the runner in date order (``recompute``),
which rebuilds ``history``. ``analysis*`` applies the
science to one session with the parameters of its day. ``actions`` lists, shows and
deletes sessions; ``views``, ``api``, ``cli`` and ``cli_imports`` answer."""
