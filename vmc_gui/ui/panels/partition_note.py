"""The inspector's note on a network partition, kept in step with the clock: what is down, who
is cut off, and who keeps each platform's brain (each failover cluster's votes and witness;
Kubernetes' zones and where its control plane works, or that it is frozen).

Shown only while the scenario has network events; the words come from ``partition_text``,
written again only when what they depend on changes (the network, the power, the zones).
The window builds the note with its first screen, which loads no engine: the simulation's
modules are imported once there is a run to explain.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from vmc_gui.ui.panels.inspector import Inspector
from vmc_gui.ui.session import LessonSession

if TYPE_CHECKING:
    from vmc_gui.sim.partitions import NetworkStory
    from vmc_gui.sim.timeline import Timeline


class PartitionNote(QObject):
    """Writes the partition note into ``inspector`` as ``session``'s clock moves."""

    def __init__(self, session: LessonSession, inspector: Inspector) -> None:
        super().__init__(inspector)
        self._session = session
        self._controller = session.controller
        self._inspector = inspector
        self._timeline: Timeline | None = None
        self._story: NetworkStory | None = None
        self._key: tuple[object, ...] | None = None
        self._controller.timeline_changed.connect(self._on_timeline_changed)
        self._controller.time_changed.connect(self._on_time_changed)
        # The clock keeps its last run on the table or a diagram-only lesson: no note there.
        session.document_changed.connect(self._on_document_changed)
        self._on_timeline_changed(self._controller.timeline())

    def _on_document_changed(self, _document: object) -> None:
        self._on_timeline_changed(self._controller.timeline())

    def _on_timeline_changed(self, timeline: object) -> None:
        self._timeline = self._story = None
        self._key = None
        if timeline is not None and self._session.runs():
            from vmc_gui.sim.partitions import NetworkStory  # with a run, the engine is loaded

            story = NetworkStory(timeline.scenario)  # type: ignore[attr-defined]
            if story.shown:
                self._timeline, self._story = timeline, story  # type: ignore[assignment]
        self._on_time_changed(self._controller.time())

    def _on_time_changed(self, t: float) -> None:
        timeline, story = self._timeline, self._story
        if timeline is None or story is None:
            if self._key != ():
                self._key = ()
                self._inspector.show_partition("")
            return
        key = (
            story.change_index(t),
            story.off_at(t),
            tuple(tuple(wt.zones_at(t)) for wt in timeline.worlds.values()),
        )
        if key == self._key:
            return
        self._key = key
        from vmc_gui.ui.panels.partition_text import partition_html

        self._inspector.show_partition(partition_html(timeline, story, t))
