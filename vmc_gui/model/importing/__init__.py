"""Importers of real clusters (issue 21): what ``kubectl`` and PowerShell export, read into the
values of :mod:`vmc_gui.model.imported`, safely (size and depth limits, one clear error naming
the file and the place in it) and without copying secrets, environment values or annotations.
"""
