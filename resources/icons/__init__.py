"""The app icon: one SVG drawing and its PNG sizes (packaging/make_icons.py)."""
