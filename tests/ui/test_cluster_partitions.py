"""The cluster view during a network partition (issue 19): the fabric shows what is down, a
host that runs but is cut off is tinted and badged (not drawn as failed), a workload running
twice is marked on its copies, and a right-click fails or restores a switch or a link.

The platforms' partition rules are the engine's; these tests check the view against what the
timeline holds (its phases, statuses and log rows), not against fixed figures.
"""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pytest
from PySide6.QtCore import QSettings

from tests.scenarios import failover, failover_text
from vmc_gui.model.events import LinkFail, SwitchFail
from vmc_gui.model.library import resolve
from vmc_gui.model.loader import loads_scenario
from vmc_gui.model.scenario import Platform, World
from vmc_gui.sim import simulate
from vmc_gui.sim.doubles import Doubles, LeftCopies
from vmc_gui.sim.partitions import NetworkStory, control_plane, zones_at
from vmc_gui.sim.records import CONSUMING, EventLog, EventType, HostStatus, Phase
from vmc_gui.sim.timeline import Timeline
from vmc_gui.ui.document import ScenarioDocument
from vmc_gui.ui.panels.cluster_panel import ClusterPanel
from vmc_gui.ui.panels.inspector import Inspector
from vmc_gui.ui.panels.partition_note import PartitionNote
from vmc_gui.ui.panels.partition_text import partition_html
from vmc_gui.ui.scenes.cluster_scene import ClusterScene
from vmc_gui.ui.scenes.items.card_marks import TWICE, left_copy_tip, note_parts
from vmc_gui.ui.session import LessonSession
from vmc_gui.ui.shell.main_window import MainWindow
from vmc_gui.ui.theme import DARK, LIGHT

CUT, HEAL = 60.0, 960.0
#: Rack 1's switch fails for 15 minutes: split brain.
SPLIT = (
    f'[[events]]\nat_s = {CUT:g}\nkind = "switch_fail"\nswitch = "tor-r1"\n\n'
    f'[[events]]\nat_s = {HEAL:g}\nkind = "switch_recover"\nswitch = "tor-r1"\n'
)
RACK_1 = ("r1-h01", "r1-h02", "r1-h03", "r1-h04")


@pytest.fixture(scope="module")
def split() -> Timeline:
    return simulate(failover(events=SPLIT, duration_s=1200))


@pytest.fixture
def scene(qapp, split) -> ClusterScene:
    scene = ClusterScene()
    scene.set_timeline(split)
    return scene


def test_a_cut_off_rack_is_tinted_and_badged_during_the_cut_only(scene):
    for t, cut in ((CUT - 10, False), (CUT + 40, True), (HEAL - 10, True), (HEAL + 100, False)):
        scene.show_time(t)
        for world in scene.timeline().worlds:
            assert scene.fabric(world).is_failed("tor-r1") is cut
            for card in scene._cards[world]:
                words = [text for text, _ in note_parts(card.marks)]
                if cut and card.name in RACK_1:
                    # It runs: badged and tinted, whatever its platform calls it, and never
                    # drawn as failed.
                    assert card.marks.running and "tor-r1" in card.marks.cut_off
                    assert words[0] == "cut off · running"
                    look = card.look()
                    assert look.cut and not look.down
                    assert "cut off · running" in card.details()
                else:
                    assert not card.marks.cut_off and "cut off · running" not in words
                    assert not card.look().cut


def test_a_crashed_host_stays_drawn_failed_beside_a_cut(qapp):
    events = SPLIT + '\n[[events]]\nat_s = 30\nkind = "host_fail"\nhost = "r1-h02"\n'
    scene = ClusterScene()
    scene.set_timeline(simulate(failover(events=events, duration_s=1200)))
    scene.show_time(CUT + 40)
    crashed = scene.card(World.VM, "r1-h02")
    assert not crashed.marks.running and not crashed.marks.cut_off and crashed.look().down
    assert scene.card(World.VM, "r1-h03").look().cut


def test_the_paused_phase_has_its_own_colour_and_a_place_in_the_legend(scene):
    for theme in (LIGHT, DARK):
        paused = theme.phase(int(Phase.PAUSED))
        others = [theme.phase(int(p)) for p in Phase if p is not Phase.PAUSED]
        assert paused != theme.muted and paused not in others
    legend = scene.legend_html(World.VM)
    assert "paused" in legend and LIGHT.phase(int(Phase.PAUSED)).name() in legend
    assert "cut&nbsp;off" in legend and "runs&nbsp;twice" in legend
    # A lesson without network events keeps its legend as it was.
    plain = ClusterScene()
    plain.set_timeline(simulate(failover()))
    assert "paused" not in plain.legend_html(World.VM) and "twice" not in plain.legend_html(
        World.VM
    )


def test_vms_on_an_isolated_host_that_runs_read_unmonitored(scene, split):
    wt = split.worlds[World.VM]
    isolated = wt.rows(EventType.NODE_ISOLATED)
    assert len(isolated), "the failover cluster isolates the nodes it no longer hears"
    seen = 0
    for t in sorted({float(wt.times[i]) + 1.0 for i in isolated.tolist()}):
        scene.show_time(t)
        state = wt.state_at(t)
        for h, name in enumerate(state.host_names):
            card = scene.card(World.VM, name)
            on_host = np.flatnonzero(state.workload_host == h)
            running = [int(w) for w in on_host if Phase(int(state.workload_phase[w])) in CONSUMING]
            expected = bool(state.host_status[h] == HostStatus.ISOLATED and running)
            assert card.marks.unmonitored is expected
            for w in running if expected else ():
                assert "Unmonitored" in scene.workload_note(World.VM, w)
                seen += 1
    assert seen


def test_each_workload_running_twice_is_marked_on_both_copies(scene, split):
    wt = split.worlds[World.CONTAINER]
    doubles = Doubles(wt)
    # A Deployment's pods on a cut-off node are replaced while they still run (issue 19).
    assert len(doubles)
    start, end, _ = doubles.spans[0]
    t = (start + min(end, HEAL)) / 2
    scene.show_time(t)
    state = wt.state_at(t)
    names = wt.run.workload_names
    for twice in doubles.at(t, state):
        assert len(twice.copies) == 2  # the old pod Terminating, its replacement ready
        for host, w in twice.copies:
            card = scene.card(World.CONTAINER, wt.run.host_names[host])
            slot = card.workloads.tolist().index(w)
            assert slot in card.marks.twice
            assert names[w] in card.marks.twice_names
            assert TWICE in [text for text, _ in note_parts(card.marks)]
            note = scene.workload_note(World.CONTAINER, w)
            assert "two copies run at once" in note.lower()
        old = [w for _, w in twice.copies if w != twice.key]
        assert [Phase(int(state.workload_phase[w])) for w in old] == [Phase.TERMINATING]
    scene.show_time(HEAL + 200)
    assert not any(card.marks.twice for card in scene.cards())


def test_a_copy_left_behind_stays_drawn_on_its_host_until_it_is_turned_off(scene, split):
    for world, wt in split.worlds.items():
        for copy in LeftCopies(wt).copies:
            # Its workload's rows follow the copy that runs on: this one has a glyph only
            # because the view reads the COPY_STOPPED row.
            host = wt.run.host_names[copy.host]
            scene.show_time((copy.start + copy.end) / 2)
            card = scene.card(world, host)
            assert (int(copy.phase), copy.workload) in card.marks.left
            tip = left_copy_tip(wt.run.workload_names[copy.workload], host, int(copy.phase))
            assert "a copy left behind" in tip
            assert card.left_slots()
            scene.show_time(copy.end + 1)
            assert (int(copy.phase), copy.workload) not in card.marks.left
    # The VM world restarts the VMs of a node cut off for 15 minutes, and their paused copies
    # stay on the isolated nodes until the heal.
    assert len(LeftCopies(split.worlds[World.VM]))


def _with_rows(timeline: Timeline, world: World, rows: list[tuple[float, str]]) -> Timeline:
    """``timeline`` with DUPLICATES rows (time, detail) merged into ``world``'s log."""
    runs = []
    for w, wt in timeline.worlds.items():
        run = wt.run
        if w is world:
            old = run.log
            log = EventLog()
            extra = sorted(rows)
            k = 0
            for i in range(len(old)):
                while k < len(extra) and extra[k][0] < old.time[i]:
                    log.extend(extra[k][0], EventType.DUPLICATES, [-1], [-1], 1, extra[k][1])
                    k += 1
                row = (old.workload[i], old.host[i], old.value[i], old.detail[i])
                log.extend(old.time[i], old.kind[i], [row[0]], [row[1]], row[2], row[3])
            for when, detail in extra[k:]:
                log.extend(when, EventType.DUPLICATES, [-1], [-1], 1, detail)
            run = dataclasses.replace(run, log=log)
        runs.append(run)
    return Timeline(timeline.scenario, runs)


def test_a_duplicates_row_marks_its_workload_x2(qapp):
    plain = simulate(failover(events=SPLIT, duration_s=1200))
    vm = plain.worlds[World.VM]
    name = vm.run.workload_names[5]
    rows = [(300.0, f"{name} runs twice"), (400.0, f"{name} runs once again")]
    marked = _with_rows(plain, World.VM, rows)
    scene = ClusterScene()
    scene.set_timeline(marked)
    for t, twice in ((250.0, False), (350.0, True), (450.0, False)):
        scene.show_time(t)
        host = int(marked.worlds[World.VM].state_at(t).workload_host[5])
        card = scene.card(World.VM, vm.run.host_names[host])
        assert (name in card.marks.twice_names) is twice
        assert (card.workloads.tolist().index(5) in card.marks.twice) is twice
        assert (TWICE in [text for text, _ in note_parts(card.marks)]) is twice


def test_a_terminating_statefulset_pod_waits_on_its_identity(qapp):
    text = failover_text(events=SPLIT, duration_s=1200).replace(
        'image = "nanoserver"', 'image = "nanoserver"\nkind = "statefulset"'
    )
    timeline = simulate(loads_scenario(text, source="test.toml"))
    wt = timeline.worlds[World.CONTAINER]
    rows = [i for i in range(len(wt)) if wt.run.log.value[i] == Phase.TERMINATING]
    assert rows, "a StatefulSet pod on a cut-off node is deleted but not replaced"
    t = float(wt.times[rows[0]]) + 1.0
    scene = ClusterScene()
    scene.set_timeline(timeline)
    scene.show_time(t)
    state = wt.state_at(t)
    terminating = np.flatnonzero(state.workload_phase == Phase.TERMINATING)
    assert len(terminating)
    for w in terminating.tolist():
        assert "waits on its identity" in scene.workload_note(World.CONTAINER, w).lower()
    # A Deployment's pod being deleted waits on nothing: its replacement starts at once.
    running = np.flatnonzero(state.workload_phase == Phase.READY)
    assert "identity" not in scene.workload_note(World.CONTAINER, int(running[0]))


# --- right-clicks -----------------------------------------------------------------------------


@pytest.fixture
def panel(qtbot):
    panel = ClusterPanel(failover(events=SPLIT, duration_s=1200))
    qtbot.addWidget(panel)
    return panel


def test_a_right_click_on_a_switch_fails_it_and_undo_takes_it_back(panel, qtbot):
    panel.controller.seek(100.0)
    fabric = panel.scene.fabric(World.VM)
    point = fabric.switches["tor-r2"].center()
    menu = panel.view.menu_at(panel.view.mapFromScene(point))
    (action,) = menu.actions()
    assert action.text() == "Fail tor-r2 now"
    with qtbot.waitSignal(panel.controller.timeline_changed):
        action.trigger()
    assert SwitchFail(100.0, "tor-r2") in panel.scenario.events
    assert panel.controller.time() == pytest.approx(100.0)
    assert panel.scene.fabric(World.CONTAINER).is_failed("tor-r2")
    assert panel.scene.card(World.VM, "r2-h01").marks.cut_off
    # A failed switch offers to come back.
    (restore,) = panel.view.menu_at(panel.view.mapFromScene(point)).actions()
    assert restore.text() == "Restore tor-r2 now"
    with qtbot.waitSignal(panel.controller.timeline_changed):
        panel.document.undo_stack.undo()
    assert SwitchFail(100.0, "tor-r2") not in panel.scenario.events
    assert not panel.scene.fabric(World.VM).is_failed("tor-r2")
    assert not panel.scene.card(World.VM, "r2-h01").marks.cut_off


def test_a_right_click_on_a_link_cuts_it(panel, qtbot):
    panel.controller.seek(100.0)
    fabric = panel.scene.fabric(World.CONTAINER)
    line = fabric.link_line("tor-r3", "core")
    (action,) = panel.view.menu_at(panel.view.mapFromScene(line.center())).actions()
    assert action.text() == "Cut the link tor-r3 \N{EN DASH} core now"
    with qtbot.waitSignal(panel.controller.timeline_changed):
        action.trigger()
    assert LinkFail(100.0, "tor-r3", "core") in panel.scenario.events
    assert panel.scene.fabric(World.VM).is_cut("core", "tor-r3")
    # The uplink cut keeps rack 3 together, cut off from the clients as a whole.
    assert all(panel.scene.card(World.VM, f"r3-h0{i}").marks.cut_off for i in range(1, 5))
    assert "rack 3" in panel.last_message.lower() or "tor-r3" in panel.last_message
    (restore,) = panel.view.menu_at(panel.view.mapFromScene(line.center())).actions()
    assert restore.text().startswith("Restore the link tor-r3")


def test_the_host_menu_cuts_its_network_link(panel, qtbot):
    panel.controller.seek(100.0)
    card = panel.scene.card(World.CONTAINER, "r2-h03")
    (cut,) = [a for a in panel.view.host_menu(card).actions() if "network link" in a.text()]
    assert cut.text() == "Cut its network link now" and cut.isEnabled()
    with qtbot.waitSignal(panel.controller.timeline_changed):
        cut.trigger()
    assert LinkFail(100.0, "r2-h03", "tor-r2") in panel.scenario.events
    assert "its link to tor-r2 is cut" in card.marks.cut_off
    assert card.look().link_cut and card.look().cut  # its edge dashed red, as a cut link
    assert not panel.scene.card(World.CONTAINER, "r2-h02").marks.cut_off
    (back,) = [a for a in panel.view.host_menu(card).actions() if "network link" in a.text()]
    assert back.text() == "Restore its network link now"
    with qtbot.waitSignal(panel.controller.timeline_changed):
        panel.document.undo_stack.undo()
    assert not card.marks.cut_off


def test_a_switch_failed_in_a_lesson_without_network_events_lays_the_cards_out_again(qtbot):
    panel = ClusterPanel(failover())
    qtbot.addWidget(panel)
    before = panel.scene.card(World.VM, "r1-h01").boundingRect().height()
    panel.controller.seek(100.0)
    with qtbot.waitSignal(panel.controller.timeline_changed):
        panel.act_on_network("switch_fail", "tor-r3")
    card = panel.scene.card(World.VM, "r3-h01")
    # The card grows the line that says what the cut does to it.
    assert card.boundingRect().height() > before and card.marks.cut_off


# --- the inspector ----------------------------------------------------------------------------


def _note(qtbot, events: str) -> tuple[LessonSession, Inspector]:
    inspector = Inspector()
    qtbot.addWidget(inspector)
    session = LessonSession(inspector)
    PartitionNote(session, inspector)
    session.show(ScenarioDocument(failover(events=events, duration_s=1200)), "test")
    return session, inspector


def test_the_inspector_explains_who_keeps_each_platform_s_brain(qtbot):
    session, inspector = _note(qtbot, SPLIT)
    session.controller.seek(CUT - 10)
    assert "Every switch and link works" in inspector.partition_text()
    session.controller.seek(CUT + 100)
    text = inspector.partition_text()
    assert "switch tor-r1" in text and "Cut off, still running: rack 1" in text
    # Rack 1's four votes of twelve and the cloud witness's: the others keep the cluster.
    assert "13 votes, 7 needed" in text and "Kept by racks 2 and 3, with 9" in text
    assert "a cloud witness, reached by racks 2 and 3" in text
    assert "control plane works with racks 2 and 3" in text
    zones = [z for z, _, _ in _zones(session)]
    assert all(zone in text for zone in zones)
    session.controller.seek(HEAL + 10)
    assert "healed" in inspector.partition_text()


def _zones(session: LessonSession):
    timeline = session.controller.timeline()
    return zones_at(timeline.worlds[World.CONTAINER], session.controller.time())


def test_the_core_failing_leaves_no_quorum_and_freezes_the_control_plane(qtbot):
    events = '[[events]]\nat_s = 60\nkind = "switch_fail"\nswitch = "core"\n'
    session, inspector = _note(qtbot, events)
    session.controller.seek(200.0)
    text = inspector.partition_text()
    assert "no quorum" in text and "frozen: no etcd majority" in text
    assert "which no part reaches" in text  # the cloud witness is behind the core


def _event(at: float, kind: str, **fields: str) -> str:
    return f'[[events]]\nat_s = {at:g}\nkind = "{kind}"\n' + "".join(
        f'{name} = "{value}"\n' for name, value in fields.items()
    )


#: The lessons whose quorum the inspector explains, and two runs where recounting the votes
#: from the network gave other numbers than the engine's: a host crashed (not yet removed, so
#: still voting) just before the cut, and a second cut after the first one's nodes were
#: removed, healed while the second still holds (their votes come back at the heal).
NOTE_RUNS = {
    "split-brain": lambda: resolve("split-brain"),
    "quorum": lambda: resolve("quorum"),
    "quorum without a witness": lambda: resolve("quorum").with_parameters({"hyperv.witness": 0}),
    "a crash just before the cut": lambda: failover(
        events=_event(55, "host_fail", host="r3-h01")
        + _event(60, "switch_fail", switch="tor-r1")
        + _event(700, "switch_recover", switch="tor-r1"),
        duration_s=1000,
    ),
    "two cuts": lambda: failover(
        events=_event(60, "switch_fail", switch="tor-r1")
        + _event(300, "link_fail", a="r2-h01", b="tor-r2")
        + _event(500, "switch_recover", switch="tor-r1")
        + _event(800, "link_recover", a="r2-h01", b="tor-r2"),
        duration_s=1000,
    ),
}
_KEPT_ROW = re.compile(r"(\d+) votes \(.*?\) keep it, (\d+) of (\d+) needed")
_LOST_ROW = re.compile(r"no part holds (\d+) of (\d+) votes \(the most: (\d+)\)")
_FROZEN_ROW = re.compile(r"etcd: (\d+) of (\d+) members reached")
_VOTES = re.compile(r"(\d+) votes, (\d+) needed")
_KEPT = re.compile(r"Kept by .*?</b>, with (\d+)\.")
_NONE = re.compile(r"No part holds (\d+) \(at most (\d+)\)")
_FROZEN = re.compile(r"its (\d+) members are cut apart, at most (\d+) together")


def _rows(log: EventLog, kinds: set[EventType]) -> list[tuple[float, EventType, str]]:
    return [
        (float(log.time[i]), EventType(log.kind[i]), log.detail[i])
        for i in range(len(log.time))
        if log.kind[i] in kinds
    ]


def _numbers(pattern: re.Pattern[str], text: str) -> tuple[int, ...]:
    found = pattern.search(text)
    assert found is not None, (pattern.pattern, text)
    return tuple(int(n) for n in found.groups())


@pytest.mark.parametrize("run", NOTE_RUNS)
def test_the_inspector_gives_the_engine_s_votes_and_control_plane(run):
    timeline = simulate(NOTE_RUNS[run]())
    story = NetworkStory(timeline.scenario)
    quorum = _rows(
        timeline.worlds[World.VM].run.log, {EventType.QUORUM_KEPT, EventType.QUORUM_LOST}
    )
    k8s = timeline.worlds[World.CONTAINER]
    plane = _rows(k8s.run.log, {EventType.CONTROL_PLANE_FROZEN, EventType.CONTROL_PLANE_THAWED})
    assert quorum
    changes = [at for at, _ in story.changes]
    times = sorted({*changes, *(at + d for at in changes for d in (0.5, 30, 200))})
    titles = {w: w.display_name.split(":")[0] for w in timeline.worlds}
    checked = 0
    for t in times:
        if story.state_at(t).intact:
            continue  # the note says the network is whole, and nothing of quorum
        html = partition_html(timeline, story, t)
        words = dict(re.findall(r"<p><b>([^<]*)</b>: (.*?)</p>", html))
        vm, container = words[titles[World.VM]], words[titles[World.CONTAINER]]
        # The failover cluster: the numbers of the last QUORUM_* row at or before t.
        _, kind, detail = [row for row in quorum if row[0] <= t][-1]
        total, need = _numbers(_VOTES, vm)
        if kind is EventType.QUORUM_KEPT:
            held, row_need, row_total = _numbers(_KEPT_ROW, detail)
            assert _numbers(_KEPT, vm) == (held,), (t, vm, detail)
        else:
            row_need, row_total, best = _numbers(_LOST_ROW, detail)
            assert _numbers(_NONE, vm) == (row_need, best), (t, vm, detail)
        assert (total, need) == (row_total, row_need), (t, vm, detail)
        # The control plane: frozen exactly between a FROZEN row and the next THAWED one,
        # at most as many members together as the FROZEN row says.
        last = [row for row in plane if row[0] <= t]
        frozen = bool(last) and last[-1][1] is EventType.CONTROL_PLANE_FROZEN
        assert ("frozen: no etcd majority" in container) == frozen, (t, container)
        if frozen:
            reached, members = _numbers(_FROZEN_ROW, last[-1][2])
            assert _numbers(_FROZEN, container) == (members, reached), (t, container)
        checked += 1
    assert checked >= 3
    # And at the rows' own instants, where the note may already say the network is whole.
    for at, kind, _ in plane:
        now, before = control_plane(k8s, at), control_plane(k8s, at - 1e-6)
        assert now is not None and before is not None
        assert now.kept == (kind is EventType.CONTROL_PLANE_THAWED) != before.kept


def test_no_note_without_network_events(qtbot):
    session, inspector = _note(
        qtbot, '[[events]]\nat_s = 60\nkind = "host_fail"\nhost = "r1-h01"\n'
    )
    session.controller.seek(200.0)
    assert inspector.partition.isHidden() and inspector.partition_text() == ""


def test_the_platform_words_stay_beside_the_cut_look(scene, split):
    scene.show_time(HEAL - 10)
    for world in split.worlds:
        card = scene.card(world, "r1-h01")
        # What its platform calls it is still said: isolated, down or NotReady.
        assert card.status_text
        if world.platform is Platform.CONTAINER:
            assert card.status != HostStatus.UP


@pytest.mark.qt_log_ignore("does not support propagateSizeHints")  # offscreen
def test_the_window_s_inspector_follows_the_clock_and_leaves_the_table_alone(qtbot, tmp_path):
    window = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.confirm_discard = lambda document: True
    path = tmp_path / "split.toml"
    path.write_text(failover_text(events=SPLIT, duration_s=1200))
    assert window.open_file(path)
    controller = window.session.controller
    controller.seek(CUT + 100)
    assert "Kept by racks 2 and 3" in window.inspector.partition_text()
    controller.seek(CUT - 10)
    assert "Every switch and link works" in window.inspector.partition_text()
    window.open_overview()
    assert window.inspector.partition.isHidden()
    window.open_lesson("fault-tolerance")  # no network events: no note
    controller.seek(100.0)
    assert window.inspector.partition.isHidden()
