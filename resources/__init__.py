"""Bundled data, read with importlib.resources: the scenario library, the font, the icons."""
