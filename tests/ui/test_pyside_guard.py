"""Guard: PySide6 6.12.0 on Python 3.11 drops a reference to None on every void Qt call.

After some tens of thousands of calls the interpreter aborts with "deallocating None".  The
package pins PySide6-Essentials below 6.12; lift the pin only when this passes on a newer release.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QGraphicsRectItem


def test_void_qt_calls_keep_the_reference_count_of_none():
    item = QGraphicsRectItem(0, 0, 10, 10)
    image = QImage(4, 4, QImage.Format.Format_ARGB32)
    colour = QColor("white")
    point = QPointF(1.0, 2.0)
    for _ in range(10):  # warm up any caches
        item.setPos(point)
        image.fill(colour)
    before = sys.getrefcount(None)
    for _ in range(1000):
        item.setPos(point)
        image.fill(colour)
    after = sys.getrefcount(None)
    # A leak costs 2,000 here; allow a little noise from the interpreter itself.
    assert abs(after - before) < 50, (
        f"None refcount moved by {after - before} over 2,000 void calls"
    )
