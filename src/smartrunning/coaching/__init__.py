"""The coach's roster: the start page per role (``runner_home``), the athletes dashboard
(``attention``: who needs the coach), and deleting a runner with everything that is theirs
(``deletion``), on the page, in the API and in the CLI; the writes are ``actions``, what a
deletion removed is ``schemas.DeletedRunner``."""
