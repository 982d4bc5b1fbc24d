"""The Hyper-V importer: the fixtures as Windows PowerShell 5.1 and PowerShell 7 write them,
each rule on small files, and fuzzing with malformed and hostile JSON."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vmc_gui.model.imported import ImportedHost, ImportProblem
from vmc_gui.model.importing import hyperv, powershell_json
from vmc_gui.model.importing.hyperv import import_hyperv
from vmc_gui.model.importing.hyperv_states import vm_state_names
from vmc_gui.model.importing.to_scenario import _scenario_name, scenario_from

FIXTURES = Path(__file__).resolve().parent.parent / "import" / "hyperv"
PS51 = [FIXTURES / "ps51" / f for f in ("nodes.json", "vms.json", "groups.json", "vmhosts.json")]
PS7 = [
    FIXTURES / "ps7" / f
    for f in ("nodes.json", "vms.json", "vmhost-hv01.json", "vmhost-hv02.json", "vmhost-hv03.json")
]
GIB = 2**30

#: The fixtures' cluster: name, processors, MB, host, phase, clustered.
SERVICES = [
    ("dc01", 2.0, 4096.0, "hv01", "Running", True),
    ("sql01", 8.0, 65536.0, "hv01", "Running", True),
    ("web01", 4.0, 3584.0, "hv02", "Running", True),
    ("web02", 4.0, 2304.0, "hv03", "Running", True),
    ("app01", 4.0, 16384.0, "hv02", "Running", True),
    ("file01", 2.0, 8192.0, "hv03", "Running", True),
    ("build01", 8.0, 16384.0, "hv02", "Off", True),  # MemoryStartup: it holds none
    ("test01", 2.0, 4096.0, "hv03", "Saved", True),
    ("jump01", 2.0, 2048.0, "hv01", "Paused", True),
    ("lab01", 1.0, 1024.0, "hv01", "Running", False),
]
SIZED_HOSTS = (
    ImportedHost("hv01", 64.0, 524288.0, capacity_cores=64.0, capacity_memory_mb=524288.0),
    ImportedHost("hv02", 64.0, 524288.0, capacity_cores=64.0, capacity_memory_mb=524288.0),
    ImportedHost("hv03", 48.0, 393216.0, capacity_cores=48.0, capacity_memory_mb=393216.0),
    ImportedHost("hv04", 0.0, 0.0, ready=False),  # down: Get-VMHost could not reach it
)
STATE_NOTES = {
    hyperv.VMS_OFF: 1,
    hyperv.VMS_SAVED: 1,
    hyperv.VMS_PAUSED: 1,
    hyperv.VMS_AT_STARTUP: 2,
    hyperv.VMS_DYNAMIC: 2,
    hyperv.VMS_NOT_CLUSTERED: 1,
    hyperv.VMS_NOTES: 2,
    hyperv.HOSTS_DOWN: 1,
    hyperv.DEPTH_CUTS: 20,  # each VM's HardDrives and NetworkAdapters
}


def _rows(cluster):
    return [
        (s.name, s.cpu, s.memory_mb, s.replicas[0].host, s.replicas[0].phase, s.clustered)
        for s in cluster.services
    ]


# --- The fixtures ----------------------------------------------------------------------------


def test_the_fixtures_are_in_the_shapes_each_powershell_writes():
    vms51 = (FIXTURES / "ps51" / "vms.json").read_bytes()
    assert vms51.startswith(b"\xff\xfe")  # Windows PowerShell 5.1's '>': UTF-16 LE, BOM
    text51 = vms51[2:].decode("utf-16-le")
    assert '"State":  2,' in text51 and '"CreationTime":  "\\/Date(1641030000000)\\/"' in text51
    assert "\r\n" in text51 and "finance team\\u0027s" in text51
    for name in ("nodes.json", "groups.json", "vmhosts.json"):
        assert (FIXTURES / "ps51" / name).read_bytes().startswith(b"\xef\xbb\xbf")
    text7 = (FIXTURES / "ps7" / "vms.json").read_text(encoding="utf-8")
    assert '"State": "Running",' in text7 and '"CreationTime": "2022-01-01T10:40:00' in text7
    single = json.loads((FIXTURES / "ps7" / "vmhost-hv01.json").read_text(encoding="utf-8"))
    assert isinstance(single, dict)  # one object: ConvertTo-Json writes no array


def test_windows_powershell_5_1_export_with_hosts_and_roles():
    cluster = import_hyperv(PS51)
    assert cluster.source == "hyperv"
    assert cluster.hosts == SIZED_HOSTS
    assert _rows(cluster) == SERVICES
    assert all(
        s.kind == "vm" and s.namespace == "" and len(s.replicas) == 1 for s in cluster.services
    )
    assert dict(cluster.summary.read) == {
        "cluster nodes": 4,
        "Hyper-V hosts": 3,
        "VMs": 10,
        "cluster roles": 12,
    }
    assert dict(cluster.summary.notes) == {
        **STATE_NOTES,
        hyperv.HOSTS_FROM_VMS: 1,
        hyperv.ROLES_FAILED: 1,  # legacy01, on the down node
        hyperv.ROLES_WITHOUT_VM: 1,
        hyperv.ROLES_NOT_VMS: 2,  # Cluster Group, Available Storage
    }
    assert cluster.summary.lines()[0] == (
        "read 4 cluster nodes, 3 Hyper-V hosts, 10 VMs, 12 cluster roles"
    )


def test_powershell_7_export_reads_the_same_cluster():
    ps7, ps51 = import_hyperv(PS7), import_hyperv(PS51[:2] + PS51[3:])
    assert ps7.hosts == ps51.hosts == SIZED_HOSTS
    assert _rows(ps7) == _rows(ps51) == SERVICES
    assert ps7.summary.notes == ps51.summary.notes
    assert dict(ps7.summary.notes) == {**STATE_NOTES, hyperv.HOSTS_FROM_VMS: 1}


def test_without_get_vmhost_hosts_are_the_sum_of_their_vms():
    cluster = import_hyperv(PS51[:2])
    assert cluster.hosts == (
        ImportedHost("hv01", 13.0, 72704.0),  # dc01, sql01, jump01, lab01
        ImportedHost("hv02", 16.0, 36352.0),
        ImportedHost("hv03", 8.0, 14592.0),
        ImportedHost("hv04", 0.0, 0.0, ready=False),
    )
    assert cluster.summary.notes[hyperv.HOSTS_FROM_VMS] == 4


def test_the_files_may_come_in_any_order():
    assert import_hyperv(reversed(PS51)).hosts == SIZED_HOSTS
    assert _rows(import_hyperv(reversed(PS51))) == SERVICES


def test_no_note_nor_secret_is_copied():
    text = repr(import_hyperv(PS51))
    for secret in ("vault", "finance", "password", "do not migrate", "ClusterStorage"):
        assert secret not in text


# --- Each rule on small files ----------------------------------------------------------------


def _vm(name="web01", host="HV01", state=2, cpu=2, assigned=2 * GIB, startup=2 * GIB, **extra):
    vm = {"Name": name, "State": state, "ProcessorCount": cpu, "MemoryAssigned": assigned}
    vm |= {"MemoryStartup": startup, "ComputerName": host, "IsClustered": True}
    return vm | extra


def _node(name="hv01", state=0):
    return {"Name": name, "State": state, "NodeWeight": 1, "DynamicWeight": 1}


def _group(name, owner="hv01", kind=111, state=0):
    return {"Name": name, "GroupType": kind, "OwnerNode": {"Name": owner}, "State": state}


def _write(folder: Path, name: str, value, encoding: str = "utf-8") -> Path:
    path = folder / name
    text = value if isinstance(value, str) else json.dumps(value)
    path.write_bytes(text.encode(encoding))
    return path


def _problem(paths) -> ImportProblem:
    with pytest.raises(ImportProblem) as caught:
        import_hyperv(paths)
    return caught.value


def test_dynamic_memory_counts_the_larger_of_assigned_and_startup(tmp_path):
    # A failover starts a VM on another node with its startup memory ("the initial amount of
    # memory to be assigned to a virtual machine with dynamic memory enabled", Set-VMMemory
    # -StartupBytes); running, it holds MemoryAssigned, which may be less or more.
    vms = [
        _vm("shrunk", assigned=1 * GIB, startup=2 * GIB, DynamicMemoryEnabled=True),
        _vm("grown", assigned=6 * GIB, startup=2 * GIB, DynamicMemoryEnabled=True),
        _vm("static", assigned=4 * GIB, startup=4 * GIB),
        _vm("off", state=3, assigned=0, startup=8 * GIB, DynamicMemoryEnabled=True),
    ]
    cluster = import_hyperv([_write(tmp_path, "vms.json", vms)])
    assert [(s.name, s.memory_mb) for s in cluster.services] == [
        ("shrunk", 2048.0),
        ("grown", 6144.0),
        ("static", 4096.0),
        ("off", 8192.0),
    ]
    notes = cluster.summary.notes
    assert notes[hyperv.VMS_DYNAMIC] == 2
    assert notes[hyperv.VMS_DYNAMIC_BELOW_STARTUP] == 1
    assert notes[hyperv.VMS_AT_STARTUP] == 1


def test_a_vm_starts_on_its_owner_node_in_the_scenario():
    imported = import_hyperv(PS51)
    scenario = scenario_from(imported, "hv", "HV")
    placement = {s.name: s.placement for s in scenario.services}
    hosts = {s.name: s.replicas[0].host for s in imported.services}
    # The clustered VMs that run; one not clustered stays on its host as fixed load, and
    # those off or saved are left out (they hold no memory, and a failover starts none).
    kept = [
        service
        for service in imported.services
        if service.clustered
        and service.replicas[0].phase.split(" or ")[0].casefold() not in ("off", "saved")
    ]
    assert placement == {_scenario_name(service): (hosts[service.name],) for service in kept}
    assert len(kept) == len(imported.services) - 3
    assert all(s.toleration_s is None and s.tolerations == () for s in scenario.services)


def test_one_object_an_array_and_windows_powershells_wrapped_array(tmp_path):
    one = import_hyperv([_write(tmp_path, "one.json", _vm())])
    wrapped = {"value": [_vm()], "Count": 1}
    assert import_hyperv([_write(tmp_path, "wrapped.json", wrapped)]).services == one.services
    bad = _vm(ProcessorCount="two")
    assert _problem([_write(tmp_path, "b.json", {"value": [bad], "Count": 1})]).where == (
        "$.value[0].ProcessorCount"
    )


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_every_encoding_powershell_writes(tmp_path, encoding):
    path = _write(tmp_path, "vms.json", [_vm()], encoding)
    assert import_hyperv([path]).services[0].memory_mb == 2048.0


def test_vm_states_by_number_and_by_name(tmp_path):
    numbers = [2, 3, 6, 9, 10, 32779, 32785, 32783, 40000]
    vms = [_vm(f"vm{n}", state=n) for n in numbers]
    vms += [_vm("named", state="runningcritical"), _vm("future", state="Teleporting")]
    cluster = import_hyperv([_write(tmp_path, "vms.json", vms)])
    phases = [s.replicas[0].phase for s in cluster.services]
    assert phases == [
        "Running",
        "Off",
        "Saved",
        "Paused",
        "Starting",
        "FastSaved",
        "RunningCritical or StoppingCritical",  # later modules, then Windows Server 2016's
        "Hibernated or RunningCritical",
        "State 40000",
        "RunningCritical",
        "Teleporting",
    ]
    notes = cluster.summary.notes
    assert notes[hyperv.VMS_STATE_NUMBER] == 2
    assert notes[hyperv.VMS_CRITICAL] == 2  # 32785 is critical either way, and the name
    assert notes[hyperv.VMS_SAVED] == 2
    assert notes[hyperv.VMS_OTHER_STATE] == 1  # Starting
    assert notes[hyperv.VMS_UNKNOWN_STATE] == 2


def test_the_state_tables_agree_below_32783_and_split_above():
    assert vm_state_names(3) == ("Off",)
    assert vm_state_names(32782) == ("ForceReboot",)
    assert vm_state_names(32794) == ("ResumingCritical", "FastSavingCritical")
    assert vm_state_names(32796) == ("FastSavingCritical",)  # only the later numbering
    assert vm_state_names(5) == ()


def test_node_states_and_hosts_matched_without_case_or_domain(tmp_path):
    nodes = [_node("hv01"), _node("HV02", 2), _node("hv03", "Joining"), _node("hv04", "down")]
    vms = [_vm("a", host="hv01.corp.example"), _vm("b", host="hv02"), _vm("c", host="HV09")]
    cluster = import_hyperv([_write(tmp_path, "n.json", nodes), _write(tmp_path, "v.json", vms)])
    # A paused node runs its VMs, a joining one is on its way up: only a node down is gone.
    assert [(h.name, h.ready) for h in cluster.hosts] == [
        ("hv01", True),
        ("HV02", True),
        ("hv03", True),
        ("hv04", False),
        ("HV09", True),  # only a VM names it
    ]
    assert [s.replicas[0].host for s in cluster.services] == ["hv01", "HV02", "HV09"]
    notes = cluster.summary.notes
    assert notes[hyperv.HOSTS_PAUSED] == notes[hyperv.HOSTS_JOINING] == 1
    assert notes[hyperv.HOSTS_DOWN] == notes[hyperv.HOSTS_NOT_NODES] == 1


def test_clustered_from_is_clustered_or_a_vm_role(tmp_path):
    vms = [
        _vm("a", IsClustered=True),
        _vm("b", IsClustered=False),
        _vm("c", IsClustered=False),  # a role says otherwise: clustered
        {k: v for k, v in _vm("d").items() if k != "IsClustered"},
    ]
    groups = [_group("A"), _group("c"), _group("d"), _group("Cluster Group", kind=1)]
    files = [_write(tmp_path, "v.json", vms), _write(tmp_path, "g.json", groups)]
    cluster = import_hyperv(files)
    assert [s.clustered for s in cluster.services] == [True, False, True, True]
    assert cluster.summary.notes[hyperv.VMS_CLUSTERING_DISAGREES] == 1
    assert cluster.summary.notes[hyperv.ROLES_NOT_VMS] == 1
    alone = import_hyperv([files[0]])  # no roles: d's clustering is unknown
    assert [s.clustered for s in alone.services] == [True, False, False, False]
    assert alone.summary.notes[hyperv.VMS_CLUSTERING_UNKNOWN] == 1


def test_the_owner_node_stands_in_for_a_missing_computername(tmp_path):
    vms = [{k: v for k, v in _vm("a").items() if k != "ComputerName"}, _vm("b", host="hv01")]
    groups = [_group("a", owner="hv02"), {**_group("b"), "OwnerNode": "hv03"}]  # -Depth 1: a name
    cluster = import_hyperv([_write(tmp_path, "v.json", vms), _write(tmp_path, "g.json", groups)])
    assert [s.replicas[0].host for s in cluster.services] == ["hv02", "hv01"]
    assert cluster.summary.notes[hyperv.VMS_OWNER_DIFFERS] == 1


def test_a_vm_exported_twice_and_vms_sharing_a_name(tmp_path):
    vms = [_vm("web", Id="1"), _vm("web", host="HV02", Id="2"), _vm("web", Id="1")]
    cluster = import_hyperv([_write(tmp_path, "a.json", vms)])
    assert [s.name for s in cluster.services] == ["web (HV01)", "web (HV02)"]
    assert [s.replicas[0].name for s in cluster.services] == ["web", "web"]
    assert cluster.summary.notes[hyperv.VMS_TWICE] == 1


def test_a_selection_of_fields_is_enough(tmp_path):
    vm = {"VMName": "x", "State": "Off", "ProcessorCount": 4, "MemoryStartup": 8 * GIB}
    cluster = import_hyperv([_write(tmp_path, "v.json", vm)])
    assert _rows(cluster) == [("x", 4.0, 8192.0, "", "Off", False)]
    assert cluster.hosts == ()
    assert cluster.summary.notes[hyperv.VMS_NO_HOST] == 1


def test_depth_one_empty_files_and_notes_are_counted(tmp_path):
    files = [_write(tmp_path, "v.json", [_vm(Notes="x", Uptime="System.TimeSpan")])]
    files.append(_write(tmp_path, "empty.json", []))
    notes = import_hyperv(files).summary.notes
    assert notes[hyperv.DEPTH_CUTS] == notes[hyperv.EMPTY_FILES] == notes[hyperv.VMS_NOTES] == 1


# --- One clear error, naming the file and the place ------------------------------------------


@pytest.mark.parametrize(
    ("change", "where", "words"),
    [
        ({"MemoryAssigned": "4 GB"}, "$[0].MemoryAssigned", "expected a number of bytes"),
        ({"MemoryStartup": "4Gi"}, "$[0].MemoryStartup", "expected a number of bytes"),
        ({"MemoryAssigned": 2**60}, "$[0].MemoryAssigned", "outside 0 to 1,125,899,906,842,624"),
        ({"MemoryAssigned": -1}, "$[0].MemoryAssigned", "outside"),
        ({"ProcessorCount": 0}, "$[0].ProcessorCount", "outside 1 to 4,096"),
        ({"ProcessorCount": 2.5}, "$[0].ProcessorCount", "expected a whole number"),
        ({"ProcessorCount": True}, "$[0].ProcessorCount", "expected a whole number"),
        ({"State": None}, "$[0].State", "missing"),
        ({"State": 70000}, "$[0].State", "expected a VM state"),
        ({"State": "Running; rm -rf /"}, "$[0].State", "expected a VM state"),
        ({"Name": ""}, "$[0].Name", "missing"),
        ({"Name": "x" * 300}, "$[0].Name", "300 characters"),
        ({"IsClustered": "yes"}, "$[0].IsClustered", "expected true or false"),
        ({"MemoryAssigned": 0, "MemoryStartup": None}, "$[0]", "no MemoryStartup"),
    ],
)
def test_a_bad_vm_field(tmp_path, change, where, words):
    problem = _problem([_write(tmp_path, "vms.json", [_vm() | change])])
    assert (problem.path, problem.where) == (str(tmp_path / "vms.json"), where)
    assert words in problem.problem
    assert str(problem).startswith(f"{tmp_path / 'vms.json'}: {where}: ")


@pytest.mark.parametrize(
    ("value", "where", "words"),
    [
        ([_node(state=7)], "$[0].State", "expected a cluster node state"),
        (
            [{"Name": "h", "LogicalProcessorCount": 8, "MemoryCapacity": "512 GB"}],
            "$[0].MemoryCapacity",
            "expected a number of bytes",
        ),
        ([_group("g", kind="VM role")], "$[0].GroupType", "expected a group type"),
        ([{**_group("g"), "OwnerNode": ["hv01"]}], "$[0].OwnerNode", "owner node"),
        ([{"kind": "NodeList", "items": []}], "$[0]", "not an object Get-ClusterNode"),
        ([_node(), _vm()], "$[1]", "a Get-VM object in a file of Get-ClusterNode objects"),
        ("[1, 2]", "$[0]", "expected an object"),
        ('"text"', "$", "expected the objects ConvertTo-Json writes"),
    ],
)
def test_a_bad_file_beside_good_vms(tmp_path, value, where, words):
    bad = _write(tmp_path, "bad.json", value)
    problem = _problem([_write(tmp_path, "vms.json", [_vm()]), bad])
    assert (problem.path, problem.where) == (str(bad), where)
    assert words in problem.problem


def test_text_that_is_not_json_and_files_that_are_not_there(tmp_path):
    problem = _problem([_write(tmp_path, "v.json", '[{"Name": "a",}]')])
    assert (problem.where, problem.problem) == (
        "line 1, column 15",
        "not valid JSON: Expecting property name enclosed in double quotes",
    )
    assert _problem([tmp_path / "none.json"]).problem == "no such file"
    assert _problem([_write(tmp_path, "e.json", "\r\n")]).problem == "empty: no JSON in it"
    assert "no Get-VM export" in _problem([_write(tmp_path, "n.json", [_node()])]).problem
    assert "no files given" in _problem([]).problem


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = _write(tmp_path, "vms.json", [_vm()] * 20)
    monkeypatch.setattr(powershell_json, "MAX_FILE_BYTES", 1000)
    monkeypatch.setattr(Path, "open", lambda *a, **k: pytest.fail("the file was opened"))
    problem = _problem([path])
    assert problem.path == str(path) and "over the 0 MB limit" in problem.problem


def test_too_many_objects_are_refused_before_parsing(tmp_path, monkeypatch):
    monkeypatch.setattr(powershell_json, "MAX_CONTAINERS", 10)
    problem = _problem([_write(tmp_path, "vms.json", [[]] * 20)])
    assert problem.problem == "holds more than 10 objects and arrays"


def test_deep_nesting(tmp_path):
    problem = _problem([_write(tmp_path, "deep.json", "[" * 100_000 + "]" * 100_000)])
    assert problem.path == str(tmp_path / "deep.json") and "nested too deeply" in problem.problem
    nested: object = "x"
    for _ in range(500):  # deep, but where nothing is read
        nested = [nested]
    assert import_hyperv([_write(tmp_path, "v.json", [_vm(Notes=nested)])]).services


# --- Fuzzing ---------------------------------------------------------------------------------

_FOLDER = Path(tempfile.mkdtemp(prefix="vmc-hyperv-fuzz-"))
_GOOD_VMS = _write(_FOLDER, "good-vms.json", [_vm()])
_TEMPLATES = {
    "vm": _vm(Id="1", DynamicMemoryEnabled=True, Notes="n"),
    "node": _node(),
    "vmhost": {
        "Name": "HV01",
        "ComputerName": "HV01",
        "LogicalProcessorCount": 8,
        "MemoryCapacity": 64 * GIB,
        "FullyQualifiedDomainName": "hv01.example",
    },
    "group": _group("web01"),
}

_hostile = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([2**63, -(2**63), 10**30, 1e308, -0.0, 0.5, 4294967296.5]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["4GB", "4 GiB", "4Gi", "4096MB", "4 XB", "1e3", "-1", "", "\x00", "Running"]),
    st.text(max_size=40),
    st.text(min_size=5000, max_size=5000, alphabet="ab"),
)
_json = st.recursive(
    _hostile,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=12), inner, max_size=3)
    ),
    max_leaves=12,
)


def _import_or_problem(paths, bad: Path, json_path: bool) -> None:
    try:
        import_hyperv(paths)
    except ImportProblem as problem:
        assert problem.path == str(bad), problem
        assert not json_path or problem.where.startswith("$"), problem
        assert str(problem).startswith(str(bad))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(_TEMPLATES)), st.data())
def test_fuzz_hostile_values_in_every_field(kind, data):
    obj = dict(_TEMPLATES[kind])
    for key in data.draw(st.lists(st.sampled_from(sorted(obj)), min_size=1, max_size=3)):
        obj[key] = data.draw(_json)
    if data.draw(st.booleans()):
        obj = [obj]
    bad = _write(_FOLDER, f"{kind}.json", obj, data.draw(st.sampled_from(["utf-8", "utf-16"])))
    _import_or_problem([_GOOD_VMS, bad] if kind != "vm" else [bad], bad, json_path=True)


@settings(max_examples=300, deadline=None)
@given(_json)
def test_fuzz_any_json_document(document):
    bad = _write(_FOLDER, "any.json", json.dumps(document))
    _import_or_problem([_GOOD_VMS, bad], bad, json_path=True)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_fuzz_any_bytes(data):
    bad = _FOLDER / "bytes.json"
    bad.write_bytes(data)
    _import_or_problem([_GOOD_VMS, bad], bad, json_path=False)
