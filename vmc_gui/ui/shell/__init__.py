"""The application shell: the main window and the panels, docks, menus and dialogs around
the scenes (see DESIGN.md, architecture)."""
