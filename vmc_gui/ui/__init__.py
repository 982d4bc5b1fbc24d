"""The Qt user interface: the app, its scenes, playback, charts and export."""
