"""Pure sports science: no I/O, no web, no database."""
