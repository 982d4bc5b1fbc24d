"""The app's icon and identity on the desktop: its reverse-DNS id and the icon files.

The id names the ``.desktop`` file, the AppStream metainfo and the hicolor icons
(packaging/linux/); Qt is told it so that a desktop matches the window to its launcher.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from PySide6.QtGui import QIcon

#: The app's reverse-DNS id, shared by the desktop entry, the metainfo and the icons.
APP_ID = "io.github.vmcgui.VmcGui"
#: The PNG sizes drawn from the SVG (the hicolor theme's usual ones).
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def icon_folder() -> Path:
    """The folder with the SVG and the PNGs (a real folder: wheels and the frozen build
    install resources unzipped)."""
    return Path(str(resources.files("vmc_gui.resources.icons")))


def icon_png(size: int) -> Path:
    """The PNG drawn for ``size`` pixels (packaging/linux/install.sh puts it in hicolor)."""
    return icon_folder() / f"{APP_ID}-{size}.png"


def app_icon() -> QIcon:
    """The window icon, from the PNGs: no SVG plugin needed, and each size drawn for it."""
    icon = QIcon()
    for size in ICON_SIZES:
        icon.addFile(str(icon_png(size)))
    return icon
