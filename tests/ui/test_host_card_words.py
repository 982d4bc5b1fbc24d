"""A card's header line holds an imported node's long name and a long status together."""

from __future__ import annotations

from PySide6.QtGui import QFontMetricsF

from vmc_gui.ui.fonts import ui_font
from vmc_gui.ui.scenes.items import host_card_item
from vmc_gui.ui.scenes.items.host_card_item import _header_words


def widths(name: str, status: str, loud: bool) -> tuple[float, float]:
    return (
        QFontMetricsF(ui_font(12, bold=True)).horizontalAdvance(name),
        QFontMetricsF(ui_font(11, bold=loud)).horizontalAdvance(status),
    )


def test_short_words_are_left_whole(qapp):
    assert _header_words("r1-h01", "up", False) == ("r1-h01", "up")


def test_a_long_name_and_a_long_status_share_the_line_without_overlapping(qapp):
    room = host_card_item._HEADER_ROOM
    for name, status in (
        ("ip-10-0-2-11.ec2.internal", "NotReady · tainted"),
        ("ip-10-0-2-11.ec2.internal", "isolated"),
        ("node-b2", "NotReady · tainted · cordoned for maintenance"),
    ):
        shown_name, shown_status = _header_words(name, status, True)
        name_w, status_w = widths(shown_name, shown_status, True)
        assert name_w + status_w <= room + 0.5, (shown_name, shown_status)
        # The name keeps at least half the line, or all of itself; each cut shows "…".
        full_name, _ = widths(host_card_item.short_name(name), status, True)
        assert name_w >= min(full_name, room * 0.5)
        short = host_card_item.short_name(name)
        assert shown_name == short or (
            shown_name.endswith("…") and short.startswith(shown_name[:-1])
        )
        assert shown_status in (status, status.split(" · ")[0]) or shown_status.endswith("…")


def test_a_dns_name_shows_its_first_label():
    assert host_card_item.short_name("ip-10-0-1-17.eu-west-1.compute.internal") == "ip-10-0-1-17"
    assert host_card_item.short_name("r1-h01") == "r1-h01"
    assert host_card_item.short_name("HV01") == "HV01"


def test_a_status_too_long_keeps_its_first_words(qapp):
    _, status = _header_words("ip-10-0-2-61.eu-west-1.compute.internal", "NotReady · tainted", True)
    assert status == "NotReady"
