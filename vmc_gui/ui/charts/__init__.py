"""Live resource charts: what each choice costs, drawn with pyqtgraph on the playback clock."""
