"""Tests of the importers of real clusters (issue 21).  The package is named ``importers``
because ``import`` is a keyword; the fixtures are in ``tests/import/``."""
