"""Bundled data: the scenario library and lesson texts, read with importlib.resources."""
