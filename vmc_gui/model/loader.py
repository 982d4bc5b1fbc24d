"""Read scenario files (TOML, with ``tomllib``) into :class:`Scenario` values.

Every way a file can be wrong ends in a :class:`ScenarioError` whose problems name the file,
the line and the field.  Sizes and counts are capped before anything large is built, so a
hostile file costs at most a validation error.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar, assert_never

from vmc_gui.model.cluster import ZONINGS, ClusterSpec, HostSpec, link_names, switch_names
from vmc_gui.model.compat import SYSTEMS
from vmc_gui.model.errors import Problem, ScenarioError
from vmc_gui.model.events import (
    EVENT_TYPES,
    Drain,
    EventKind,
    Exploit,
    HostFail,
    HostRecover,
    LinkFail,
    LinkRecover,
    Load,
    OutOfService,
    RackFail,
    Rebalance,
    Scale,
    SetParameter,
    SwitchFail,
    SwitchRecover,
    TimedEvent,
    Update,
    ZoneFail,
    link_key,
)
from vmc_gui.model.lessons import ROWS
from vmc_gui.model.parameters import RETIRED, ParameterError, ParameterSet, Value, lookup
from vmc_gui.model.scenario import CompatSpec, Scenario, ServiceKind, ServiceSpec, World
from vmc_gui.model.taints import OPERATORS, TAINT_EFFECTS, Toleration, parse_taint
from vmc_gui.model.toml_lines import Path as KeyPath
from vmc_gui.model.toml_lines import key_lines, line_of

# Limits (DESIGN.md, reliability).  Scenario files are hand-written and small; these leave
# room for the 1,000-host benchmark while refusing anything that would exhaust memory.
MAX_FILE_BYTES = 1_000_000
MAX_HOSTS = 10_000
MAX_WORKLOADS = 200_000
MAX_SERVICES = 1_000
MAX_EVENTS = 10_000
MAX_DURATION_S = 7 * 24 * 3600.0
MAX_SAMPLES = 1_000_000

_SECTIONS = ("scenario", "cluster", "hosts", "services", "events", "parameters", "compat")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
#: A host's name: a Kubernetes node's (an RFC 1123 subdomain, such as
#: ``ip-10-0-1-23.ec2.internal``) or a Windows computer's (``HV-NODE1``).
_HOST_NAME = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9._-]{0,251}[A-Za-z0-9])?$")
#: A zone's name as a label value reads (``eu-west-1a``), with its region before it where the
#: cluster spans regions (``eu-west-1 eu-west-1a``).
_ZONE = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9._-]{0,62})?( [A-Za-z0-9]([A-Za-z0-9._-]{0,62})?)?$")
#: The graph's own nodes, which a host may not be called.
_NOT_HOSTS = re.compile(r"^(core|storage|clients|tor-r\d+|etcd-\d+)$")
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column \d+\)\s*$")

T = TypeVar("T")


def load_scenario(path: str | Path) -> Scenario:
    """Load the scenario file at ``path``."""
    path = Path(path)
    source = str(path)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as err:
        raise ScenarioError(
            [Problem(source, None, "", f"cannot read: {err.strerror or err}")]
        ) from None
    return loads_scenario(data, source=source)


def loads_scenario(data: str | bytes, *, source: str = "<scenario>") -> Scenario:
    """Parse and check scenario text; ``source`` names it in errors."""
    size = len(data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data)
    if size > MAX_FILE_BYTES:
        raise ScenarioError(
            [Problem(source, None, "", f"file is larger than the {MAX_FILE_BYTES:,}-byte limit")]
        )
    text = _decode(data, source)
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        message = str(err)
        position = _TOML_POSITION.search(message)
        line = int(position.group(1)) if position else None
        message = _TOML_POSITION.sub("", message) or "malformed TOML"
        raise ScenarioError([Problem(source, line, "", f"malformed TOML: {message}")]) from None
    except RecursionError:
        raise ScenarioError(
            [Problem(source, None, "", "arrays or tables nested too deeply")]
        ) from None
    return _Reader(source, key_lines(text)).scenario(document)


def _decode(data: str | bytes, source: str) -> str:
    if isinstance(data, str):
        text = data
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as err:
            line = data.count(b"\n", 0, err.start) + 1
            raise ScenarioError([Problem(source, line, "", "not UTF-8 text")]) from None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as err:
        line = text.count("\n", 0, err.start) + 1
        raise ScenarioError([Problem(source, line, "", "not UTF-8 text")]) from None
    return text


def _field(path: KeyPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


class _Reader:
    """Walks a parsed document, converting what is right and collecting what is wrong."""

    def __init__(self, source: str, lines: dict[KeyPath, int]) -> None:
        self.source = source
        self.lines = lines
        self.problems: list[Problem] = []
        #: What was read but ignored (a retired setting), each as one line for the user.
        self.warnings: list[str] = []

    def problem(self, path: KeyPath, message: str) -> None:
        self.problems.append(Problem(self.source, line_of(self.lines, path), _field(path), message))

    # --- typed field access -----------------------------------------------------------

    def table(
        self, doc: Mapping[str, Any], path: KeyPath, allowed: tuple[str, ...]
    ) -> dict[str, Any]:
        value = _get(doc, path)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.problem(path, f"expected a table, got {_kind(value)}")
            return {}
        self._check_keys(value, path, allowed)
        return value

    def value(
        self,
        table: Mapping[str, Any],
        path: KeyPath,
        default: T,
        convert: Callable[[Any], T],
        *,
        required: bool = False,
    ) -> T:
        key = path[-1]
        assert isinstance(key, str)
        if key not in table:
            if required:
                self.problem(path, "is required")
            return default
        try:
            return convert(table[key])
        except (TypeError, ValueError) as err:
            self.problem(path, str(err))
            return default

    # --- the document -------------------------------------------------------------------

    def scenario(self, doc: dict[str, Any]) -> Scenario:
        self._check_keys(doc, (), _SECTIONS)
        head = self.table(
            doc,
            ("scenario",),
            (
                "name",
                "title",
                "description",
                "seed",
                "duration_s",
                "worlds",
                "sample_step_s",
                "lesson",
            ),
        )
        if "scenario" not in doc:
            self.problem(("scenario",), "the [scenario] table is required")
        p = ("scenario",)
        name = self.value(head, (*p, "name"), "", _name, required=True)
        title = self.value(head, (*p, "title"), "", _text(200), required=True)
        description = self.value(head, (*p, "description"), "", _text(20_000))
        lesson = self.value(head, (*p, "lesson"), "", _text(100))
        if lesson and lesson not in ROWS:
            self.problem(
                (*p, "lesson"), f"{lesson!r} is not a row of the table{_close(lesson, list(ROWS))}"
            )
        seed = self.value(head, (*p, "seed"), 0, _integer(0, 2**63 - 1))
        duration = self.value(head, (*p, "duration_s"), 600.0, _number(1.0, MAX_DURATION_S))
        step = self.value(head, (*p, "sample_step_s"), 1.0, _number(0.01, 3600.0))
        if duration / step > MAX_SAMPLES:
            self.problem(
                (*p, "sample_step_s"), f"gives more than {MAX_SAMPLES:,} samples; use a larger step"
            )
        default_worlds: tuple[World, ...] = (World.VM, World.CONTAINER)
        worlds = self.value(head, (*p, "worlds"), default_worlds, _worlds)

        cluster = self.cluster(doc)
        services = self.services(doc, cluster)
        # The settings first: they place etcd's members, whose links an event may cut.
        parameters = self.parameters(doc)
        events = self.events(doc, cluster, duration, services, parameters)
        compat = self.compat(doc)
        if self.problems:
            raise ScenarioError(sorted(self.problems, key=lambda q: q.line or 0))
        return Scenario(
            name=name,
            title=title,
            description=description,
            seed=seed,
            duration_s=duration,
            cluster=cluster,
            worlds=worlds,
            services=services,
            events=events,
            parameters=parameters,
            sample_step_s=step,
            lesson=lesson,
            compat=compat,
            warnings=tuple(self.warnings),
        )

    def cluster(self, doc: dict[str, Any]) -> ClusterSpec:
        if "hosts" in doc:
            return self.hosts(doc)
        p: KeyPath = ("cluster",)
        table = self.table(
            doc,
            p,
            ("racks", "hosts_per_rack", "cores", "memory_gb", "disk_gb", "shared_storage", "zones"),
        )
        defaults = ClusterSpec()
        racks = self.value(table, (*p, "racks"), defaults.racks, _integer(1, MAX_HOSTS))
        per_rack = self.value(
            table, (*p, "hosts_per_rack"), defaults.hosts_per_rack, _integer(1, MAX_HOSTS)
        )
        if racks * per_rack > MAX_HOSTS:
            self.problem(
                (*p, "hosts_per_rack"),
                f"{racks * per_rack:,} hosts is over the {MAX_HOSTS:,}-host limit",
            )
            racks, per_rack = 1, 1
        return ClusterSpec(
            racks=racks,
            hosts_per_rack=per_rack,
            cores=self.value(table, (*p, "cores"), defaults.cores, _integer(1, 4096)),
            memory_gb=self.value(table, (*p, "memory_gb"), defaults.memory_gb, _number(1.0, 1e6)),
            disk_gb=self.value(table, (*p, "disk_gb"), defaults.disk_gb, _number(0.0, 1e9)),
            shared_storage=self.value(
                table, (*p, "shared_storage"), defaults.shared_storage, _boolean
            ),
            zones=self.value(table, (*p, "zones"), defaults.zones, _one_of(ZONINGS)),
        )

    def hosts(self, doc: dict[str, Any]) -> ClusterSpec:
        """The long form: each host its own (``[[hosts]]``), the racks numbered 1 to N.
        ``[cluster]`` then holds only what is the cluster's, not a host's."""
        p: KeyPath = ("cluster",)
        table = self.table(
            doc,
            p,
            ("racks", "hosts_per_rack", "cores", "memory_gb", "disk_gb", "shared_storage", "zones"),
        )
        for key in ("racks", "hosts_per_rack", "cores", "memory_gb", "disk_gb"):
            if key in table:
                self.problem((*p, key), "each of the [[hosts]] gives its own: leave it out")
        defaults = ClusterSpec()
        found: list[HostSpec] = []
        seen: set[str] = set()
        fields = ("name", "rack", "cores", "memory_gb", "disk_gb", "pods", "taints", "zone", "down")
        for i, entry in enumerate(self.entries(doc, "hosts", MAX_HOSTS)):
            q: KeyPath = ("hosts", i)
            self._check_keys(entry, q, fields)
            name = self.value(entry, (*q, "name"), f"host-{i}", _host_name, required=True)
            if name in seen:
                self.problem((*q, "name"), f"another host is already called {name!r}")
            seen.add(name)
            found.append(
                HostSpec(
                    name=name,
                    rack=self.value(entry, (*q, "rack"), 1, _integer(1, MAX_HOSTS)),
                    cores=self.value(
                        entry, (*q, "cores"), 0.0, _number(0.001, 4096.0), required=True
                    ),
                    memory_gb=self.value(
                        entry, (*q, "memory_gb"), 0.0, _number(0.001, 1e6), required=True
                    ),
                    disk_gb=self.value(entry, (*q, "disk_gb"), defaults.disk_gb, _number(0.0, 1e9)),
                    pods=self.value(entry, (*q, "pods"), None, _integer(0, 100_000)),
                    taints=self.value(entry, (*q, "taints"), (), _taints),
                    zone=self.value(entry, (*q, "zone"), "", _zone),
                    down=self.value(entry, (*q, "down"), False, _boolean),
                )
            )
        if not found:
            self.problem(("hosts",), "expected at least one [[hosts]] table")
            return ClusterSpec()
        racks = max(host.rack for host in found)
        missing = sorted(set(range(1, racks + 1)) - {host.rack for host in found})
        if missing:
            self.problem(
                ("hosts",),
                f"rack {missing[0]} has no host: number the racks 1 to {racks} without a gap",
            )
        self._check_zones(found)
        # Rack by rack, each rack's hosts in the file's order: the order every view draws.
        return ClusterSpec.of_hosts(
            found,
            shared_storage=self.value(
                table, (*p, "shared_storage"), defaults.shared_storage, _boolean
            ),
            zones=self.value(table, (*p, "zones"), defaults.zones, _one_of(ZONINGS)),
        )

    def _check_zones(self, hosts: list[HostSpec]) -> None:
        """A rack's hosts name one zone (a zone may span racks, not a rack zones): the rack
        is titled by it and counted in it by the node lifecycle controller."""
        zone_of_rack: dict[int, str] = {}
        for i, host in enumerate(hosts):
            if not host.zone:
                continue
            other = zone_of_rack.setdefault(host.rack, host.zone)
            if other != host.zone:
                self.problem(
                    ("hosts", i, "zone"),
                    f"rack {host.rack}'s hosts are in zone {other!r}: a rack is in one zone, "
                    f"so {host.name} belongs in another rack",
                )

    def entries(self, doc: dict[str, Any], key: str, limit: int) -> list[dict[str, Any]]:
        value = doc.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.problem((key,), f"expected [[{key}]] tables, got {_kind(value)}")
            return []
        if len(value) > limit:
            self.problem((key,), f"{len(value):,} entries is over the {limit:,} limit")
            return []
        return value

    def services(self, doc: dict[str, Any], cluster: ClusterSpec) -> tuple[ServiceSpec, ...]:
        out: list[ServiceSpec] = []
        seen: set[str] = set()
        total = 0
        fields = (
            "name",
            "replicas",
            "cpu",
            "memory_mb",
            "image",
            "image_mb",
            "worlds",
            "toleration_s",
            "termination_grace_period_s",
            "pdb_max_unavailable",
            "kind",
            "tolerations",
            "placement",
        )
        host_names = frozenset(cluster.host_names())
        for i, entry in enumerate(self.entries(doc, "services", MAX_SERVICES)):
            p: KeyPath = ("services", i)
            self._check_keys(entry, p, fields)
            name = self.value(entry, (*p, "name"), f"service-{i}", _name, required=True)
            if name in seen:
                self.problem((*p, "name"), f"another service is already called {name!r}")
            seen.add(name)
            replicas = self.value(
                entry, (*p, "replicas"), 0, _integer(0, MAX_WORKLOADS), required=True
            )
            total += replicas
            cpu = self.value(
                entry, (*p, "cpu"), 1.0, _number(0.001, float(cluster.cores)), required=True
            )
            memory = self.value(
                entry,
                (*p, "memory_mb"),
                1,
                _integer(1, int(cluster.memory_gb * 1024)),
                required=True,
            )
            out.append(
                ServiceSpec(
                    name=name,
                    replicas=replicas,
                    cpu=cpu,
                    memory_mb=memory,
                    image=self.value(entry, (*p, "image"), "nanoserver", _text(200)),
                    image_mb=self.value(entry, (*p, "image_mb"), None, _integer(1, 100_000)),
                    worlds=self.value(entry, (*p, "worlds"), (), _worlds),
                    toleration_s=self.value(
                        entry, (*p, "toleration_s"), None, _number(0.0, MAX_DURATION_S)
                    ),
                    termination_grace_period_s=self.value(
                        entry,
                        (*p, "termination_grace_period_s"),
                        None,
                        _number(0.0, MAX_DURATION_S),
                    ),
                    kind=self.value(
                        entry, (*p, "kind"), ServiceKind.DEPLOYMENT, _choice(ServiceKind)
                    ),
                    pdb_max_unavailable=self.value(
                        entry, (*p, "pdb_max_unavailable"), None, _integer(0, MAX_WORKLOADS)
                    ),
                    tolerations=self.value(entry, (*p, "tolerations"), (), _tolerations),
                    placement=self.value(
                        entry, (*p, "placement"), (), _placement(host_names, replicas)
                    ),
                )
            )
        if total > MAX_WORKLOADS:
            self.problem(
                ("services",), f"{total:,} replicas in all is over the {MAX_WORKLOADS:,} limit"
            )
        return tuple(out)

    def _check_keys(
        self, entry: Mapping[str, Any], path: KeyPath, allowed: tuple[str, ...]
    ) -> None:
        for key in entry:
            if key not in allowed:
                self.problem((*path, key), f"unknown field{_close(key, allowed)}")

    def events(
        self,
        doc: dict[str, Any],
        cluster: ClusterSpec,
        duration: float,
        services: tuple[ServiceSpec, ...],
        parameters: ParameterSet,
    ) -> tuple[TimedEvent, ...]:
        out: list[TimedEvent] = []
        etcd = int(parameters["kubernetes.etcd_members"])
        known = sorted({f for fields in _EVENT_FIELDS.values() for f in fields})
        for i, entry in enumerate(self.entries(doc, "events", MAX_EVENTS)):
            p: KeyPath = ("events", i)
            self._check_keys(entry, p, ("at_s", "kind", *known))
            at = self.value(entry, (*p, "at_s"), 0.0, _number(0.0, MAX_DURATION_S), required=True)
            if at > duration:
                self.problem((*p, "at_s"), f"{at:g} s is after the scenario ends at {duration:g} s")
            kind = self.value(
                entry, (*p, "kind"), EventKind.HOST_FAIL, _choice(EventKind), required=True
            )
            for key in known:
                if key in entry and key not in _EVENT_FIELDS[kind]:
                    self.problem((*p, key), f"a {kind.value} event has no {key}")
            event = _EventReader(self, entry, p, cluster, services, etcd).read(kind, at)
            if event is not None:
                out.append(event)
        self._check_scaling(out, services)
        return tuple(sorted(out, key=lambda e: e.at_s))

    def _check_scaling(self, events: list[TimedEvent], services: tuple[ServiceSpec, ...]) -> None:
        """Scaling may not take the run past the replica limit."""
        peak = {s.name: s.replicas for s in services}
        created = sum(peak.values())
        for event in sorted(events, key=lambda e: e.at_s):
            if isinstance(event, Scale) and event.service in peak:
                created += max(0, event.replicas - peak[event.service])
                peak[event.service] = event.replicas
        if created > MAX_WORKLOADS:
            self.problem(
                ("events",),
                f"scaling creates {created:,} replicas in all, over the {MAX_WORKLOADS:,} limit",
            )

    def compat(self, doc: dict[str, Any]) -> CompatSpec | None:
        p: KeyPath = ("compat",)
        if "compat" not in doc:
            return None
        table = self.table(doc, p, ("hosts", "guests"))
        systems = list(SYSTEMS)

        def names(raw: Any) -> tuple[str, ...]:
            if not isinstance(raw, list) or not raw or len(raw) > len(systems):
                raise ValueError(f"expected a non-empty array of systems, got {_kind(raw)}")
            for item in raw:
                text = _text(100)(item)
                if text not in SYSTEMS:
                    raise ValueError(f"{text!r} is not one of: {', '.join(systems)}")
            return tuple(raw)

        return CompatSpec(
            hosts=self.value(table, (*p, "hosts"), (), names, required=True),
            guests=self.value(table, (*p, "guests"), (), names, required=True),
        )

    def setting(self, entry: Mapping[str, Any], p: KeyPath, at: float) -> SetParameter | None:
        """A ``set`` event's parameter and value, checked like the [parameters] table."""
        name = self.value(entry, (*p, "parameter"), "", _text(100), required=True)
        if not name:
            return None
        try:
            parameter = lookup(name)
        except ParameterError as err:
            self.problem((*p, "parameter"), str(err))
            return None
        if not parameter.live:
            self.problem((*p, "parameter"), f"{name} shapes the cluster; set it in [parameters]")
            return None
        if "value" not in entry:
            self.problem((*p, "value"), "is required")
            return None
        try:
            value = parameter.coerce(entry["value"])
        except ParameterError as err:
            self.problem((*p, "value"), str(err))
            return None
        return SetParameter(at, name, value)

    def parameters(self, doc: dict[str, Any]) -> ParameterSet:
        table = doc.get("parameters", {})
        if not isinstance(table, dict):
            self.problem(("parameters",), f"expected a table, got {_kind(table)}")
            return ParameterSet()
        overrides: dict[str, Value] = {}
        for path, raw in _flatten(table, ("parameters",)):
            name = ".".join(str(part) for part in path[1:])
            if name in RETIRED:
                # A file saved before the setting was retired still opens, without it.
                where = Problem(self.source, line_of(self.lines, path), _field(path), "")
                self.warnings.append(f"{str(where).rstrip(': ')}: ignored: {RETIRED[name]}")
                continue
            try:
                overrides[name] = lookup(name).coerce(raw)
            except ParameterError as err:
                self.problem(path, str(err))
        return ParameterSet(overrides)


#: Each kind's own TOML keys (its dataclass's fields but ``at_s``).
_EVENT_FIELDS: Mapping[EventKind, tuple[str, ...]] = {
    kind: tuple(f.name for f in dataclasses.fields(cls) if f.name != "at_s")
    for kind, cls in EVENT_TYPES.items()
}


class _EventReader:
    """Builds one ``[[events]]`` entry into its class, each field checked where it is read."""

    def __init__(
        self,
        reader: _Reader,
        entry: Mapping[str, Any],
        path: KeyPath,
        cluster: ClusterSpec,
        services: tuple[ServiceSpec, ...],
        etcd_members: int,
    ) -> None:
        self.reader, self.entry, self.path = reader, entry, path
        self.cluster, self.services, self.etcd_members = cluster, services, etcd_members

    def read(self, kind: EventKind, at: float) -> TimedEvent | None:
        match kind:
            case EventKind.HOST_FAIL:
                return HostFail(at, self.host())
            case EventKind.HOST_RECOVER:
                return HostRecover(at, self.host())
            case EventKind.DRAIN:
                return Drain(at, self.host())
            case EventKind.OUT_OF_SERVICE:
                return OutOfService(at, self.host())
            case EventKind.RACK_FAIL:
                return RackFail(at, self.field("rack", 1, _integer(1, self.cluster.racks)))
            case EventKind.ZONE_FAIL:
                return ZoneFail(at, self.zone())
            case EventKind.SET:
                return self.reader.setting(self.entry, self.path, at)
            case EventKind.SCALE:
                replicas = self.field("replicas", 0, _integer(0, MAX_WORKLOADS))
                return Scale(at, self.service(), replicas)
            case EventKind.UPDATE:
                return Update(at, self.service())
            case EventKind.EXPLOIT:
                return Exploit(at, self.service())
            case EventKind.LOAD:
                return Load(at, self.host(), self.field("value", 1.0, _number(0.1, 20.0)))
            case EventKind.REBALANCE:
                count = self.reader.value(
                    self.entry, (*self.path, "count"), 1, _integer(1, MAX_WORKLOADS)
                )
                return Rebalance(at, self.host(), count)
            case EventKind.SWITCH_FAIL:
                return SwitchFail(at, self.switch())
            case EventKind.SWITCH_RECOVER:
                return SwitchRecover(at, self.switch())
            case EventKind.LINK_FAIL:
                return LinkFail(at, *self.link())
            case EventKind.LINK_RECOVER:
                return LinkRecover(at, *self.link())
            case _:
                assert_never(kind)

    def field(self, key: str, default: T, convert: Callable[[Any], T]) -> T:
        return self.reader.value(self.entry, (*self.path, key), default, convert, required=True)

    def named(self, key: str, options: list[str], what: str) -> str:
        name: str | None = self.field(key, None, _text(100))
        if name is None:  # missing or not text: already said
            return ""
        if name not in options:
            self.reader.problem(
                (*self.path, key), f"no {what} called {name!r}{_close(name, options)}"
            )
        return name

    def host(self) -> str:
        return self.named("host", sorted(self.cluster.host_names()), "host")

    def zone(self) -> str:
        if self.cluster.zones != "rack":
            self.reader.problem(
                (*self.path, "zone"),
                'the cluster is one zone ([cluster] zones = "single"): fail its racks instead',
            )
            return ""
        names = list(dict.fromkeys(self.cluster.zone_names()))
        return self.named("zone", names, "zone")

    def service(self) -> str:
        return self.named("service", [s.name for s in self.services], "service")

    def switch(self) -> str:
        return self.named("switch", switch_names(self.cluster), "switch")

    def link(self) -> tuple[str, str]:
        links = link_names(self.cluster, etcd_members=self.etcd_members)
        nodes = sorted({n for link in links for n in link})
        a = self.named("a", nodes, "node")
        b = self.named("b", nodes, "node")
        if a in nodes and b in nodes and link_key(a, b) not in links:
            ends = sorted(next(iter(link - {a})) for link in links if a in link)
            self.reader.problem(
                (*self.path, "b"), f"{a!r} and {b!r} are not linked; {a} links to {', '.join(ends)}"
            )
        return a, b


def _flatten(table: dict[str, Any], path: KeyPath) -> list[tuple[KeyPath, Any]]:
    out: list[tuple[KeyPath, Any]] = []
    for key, value in table.items():
        if isinstance(value, dict):
            out.extend(_flatten(value, (*path, key)))
        else:
            out.append(((*path, key), value))
    return out


def _get(doc: Mapping[str, Any], path: KeyPath) -> Any:
    value: Any = doc
    for part in path:
        if isinstance(value, dict) and isinstance(part, str):
            value = value.get(part)
        elif isinstance(value, list) and isinstance(part, int) and part < len(value):
            value = value[part]
        else:
            return None
    return value


def _kind(value: object) -> str:
    names = {
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        str: "a string",
        list: "an array",
        dict: "a table",
    }
    return names.get(type(value), f"a {type(value).__name__}")


def _close(word: str, options: tuple[str, ...] | list[str]) -> str:
    close = difflib.get_close_matches(word, options, n=3, cutoff=0.6)
    return f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""


# --- converters: each takes the raw TOML value and returns it checked, or raises ValueError --


def _integer(low: int, high: int) -> Callable[[Any], int]:
    def convert(raw: Any) -> int:
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise ValueError(f"expected an integer, got {_kind(raw)}")
        if not low <= raw <= high:
            raise ValueError(f"{raw} is outside {low:,}..{high:,}")
        return raw

    return convert


def _number(low: float, high: float) -> Callable[[Any], float]:
    def convert(raw: Any) -> float:
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise ValueError(f"expected a number, got {_kind(raw)}")
        value = float(raw)
        if not low <= value <= high:  # also refuses nan
            raise ValueError(f"{raw} is outside {low:g}..{high:g}")
        return value

    return convert


def _text(limit: int) -> Callable[[Any], str]:
    def convert(raw: Any) -> str:
        if not isinstance(raw, str):
            raise ValueError(f"expected a string, got {_kind(raw)}")
        if len(raw) > limit:
            raise ValueError(f"longer than {limit:,} characters")
        return raw

    return convert


def _name(raw: Any) -> str:
    text = _text(63)(raw)
    if not _NAME.match(text):
        raise ValueError(f"{text!r} is not a name: use lower-case letters, digits, '-' and '_'")
    return text


def _host_name(raw: Any) -> str:
    text = _text(253)(raw)
    if not _HOST_NAME.match(text):
        raise ValueError(
            f"{text!r} is not a host name: use letters, digits, '.', '-' and '_', starting and "
            "ending with a letter or a digit"
        )
    if _NOT_HOSTS.match(text):
        raise ValueError(f"{text!r} is the name of a switch or of the storage")
    return text


def _zone(raw: Any) -> str:
    text = _text(127)(raw)
    if not _ZONE.match(text):
        raise ValueError(
            f"{text!r} is not a zone name: letters, digits, '.', '-', '_' and one space, as "
            "a zone label reads (with its region before it)"
        )
    return text


def _taints(raw: Any) -> tuple[str, ...]:
    if not isinstance(raw, list) or len(raw) > 64:
        raise ValueError(f"expected a list of up to 64 taints, got {_kind(raw)}")
    for taint in raw:
        parse_taint(taint if isinstance(taint, str) else repr(taint))
    return tuple(raw)


_TOLERATION_KEYS = ("key", "operator", "value", "effect", "seconds")


def _tolerations(raw: Any) -> tuple[Toleration, ...]:
    """``[{key = "dedicated", operator = "Equal", value = "batch", effect = "NoSchedule"}]``:
    the pod spec's own fields (``seconds`` its ``tolerationSeconds``)."""
    if not isinstance(raw, list) or len(raw) > 64:
        raise ValueError(f"expected a list of up to 64 tolerations, got {_kind(raw)}")
    out = []
    for item in raw:
        if not isinstance(item, dict):
            raise ValueError(f"expected a table per toleration, got {_kind(item)}")
        unknown = sorted(set(item) - set(_TOLERATION_KEYS))
        if unknown:
            raise ValueError(
                f"a toleration has no field {unknown[0]!r}{_close(unknown[0], _TOLERATION_KEYS)}"
            )
        key = _text(316)(item.get("key", ""))
        operator = _one_of(tuple(sorted(OPERATORS)))(item.get("operator", "Equal"))
        value = _text(63)(item.get("value", ""))
        effect = _text(20)(item.get("effect", ""))
        if effect and effect not in TAINT_EFFECTS:
            raise ValueError(
                f"{effect!r} is not a taint effect (NoSchedule, PreferNoSchedule or NoExecute)"
            )
        if not key and operator != "Exists":
            raise ValueError('a toleration without a key must have operator = "Exists"')
        if operator == "Exists" and value:
            raise ValueError('a toleration with operator = "Exists" takes no value')
        seconds = item.get("seconds")
        out.append(
            Toleration(
                key,
                operator,
                value,
                effect,
                None if seconds is None else _number(0.0, MAX_DURATION_S)(seconds),
            )
        )
    return tuple(out)


def _placement(hosts: frozenset[str], replicas: int) -> Callable[[Any], tuple[str, ...]]:
    """Where the replicas start: a host's name per replica, up to the replica count."""

    def convert(raw: Any) -> tuple[str, ...]:
        if not isinstance(raw, list) or len(raw) > replicas:
            raise ValueError(
                f"expected a list of up to {replicas:,} host names (one per replica), "
                f"got {_kind(raw)}" + (f" of {len(raw):,}" if isinstance(raw, list) else "")
            )
        for name in raw:
            if not isinstance(name, str) or name not in hosts:
                raise ValueError(f"{name!r} is not one of the cluster's hosts")
        return tuple(raw)

    return convert


def _one_of(options: tuple[str, ...]) -> Callable[[Any], str]:
    def convert(raw: Any) -> str:
        text = _text(100)(raw)
        if text not in options:
            raise ValueError(f"{text!r} is not one of: {', '.join(options)}")
        return text

    return convert


def _boolean(raw: Any) -> bool:
    if not isinstance(raw, bool):
        raise ValueError(f"expected true or false, got {_kind(raw)}")
    return raw


E = TypeVar("E", EventKind, World, ServiceKind)


def _choice(enum: type[E]) -> Callable[[Any], E]:
    def convert(raw: Any) -> E:
        text = _text(100)(raw)
        try:
            return enum(text)
        except ValueError:
            options = [m.value for m in enum]
            raise ValueError(f"{text!r} is not one of: {', '.join(options)}") from None

    return convert


def _worlds(raw: Any) -> tuple[World, ...]:
    if not isinstance(raw, list) or not raw:
        raise ValueError(f"expected a non-empty array of worlds, got {_kind(raw)}")
    worlds = tuple(_choice(World)(item) for item in raw)
    if len(set(worlds)) != len(worlds):
        raise ValueError("lists a world twice")
    return worlds
