"""What every feature shares, and nothing feature-specific: configuration (``config``,
``context``), the database handle (``db``) and the content-addressed blob store (``blobs``,
``models``), the job queue (``queue``), errors (``errors`` for services, ``error_pages`` for
answers), the clock (``clock``: the only reader of the wall clock), Flask extensions, login
guard, security headers, templating, JSON, health, logging and the production server.

Features build on it; it imports none of them."""
