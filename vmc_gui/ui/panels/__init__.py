"""The panels: the widgets a window is made of (the cluster with its playback bar, the diagram,
the compatibility matrix, the inspector and its settings, the lessons list, the table).

A panel shows what it is given and reports what the user asks for; it never reaches the
window it sits in (import-linter keeps the shell above it).
"""
