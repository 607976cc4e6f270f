"""Sessions: FIT uploads turned into analysed sessions, and the training-load history.

An upload becomes an import job (``imports``, ``archives``); the queue's ``tasks`` run
``jobs``, which claim files and hand them to ``ingest`` (decode, check, analyse, store in
batches; ``ingest_files`` for one file up to its write); completing a job recomputes the
runner in date order (``recompute``), which rebuilds ``history``. ``analysis*`` applies the
science to one session with the parameters of its day. ``actions`` lists, shows and
deletes sessions; ``views``, ``api``, ``cli`` and ``cli_imports`` answer."""
