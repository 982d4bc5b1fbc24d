"""vmc-gui: virtual machines against containers, made visible and measurable."""

__version__ = "0.1.0"
