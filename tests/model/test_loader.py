"""Loading scenario files: every problem names the file, the line and the field."""

from __future__ import annotations

import pytest

from tests.scenarios import failover_text
from vmc_gui.model import loader
from vmc_gui.model.errors import ScenarioError
from vmc_gui.model.library import bundled_text, resolve, scenario_names
from vmc_gui.model.loader import load_scenario, loads_scenario
from vmc_gui.model.scenario import EventKind, World


def problems(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        loads_scenario(text, source="s.toml")
    return [str(p) for p in caught.value.problems]


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


def test_bundled_scenarios_load():
    assert "failover" in scenario_names()
    for name in scenario_names():
        scenario = resolve(name)
        assert scenario.name == name
        assert scenario.title and scenario.description


def test_the_failover_file_reads_into_the_model():
    scenario = loads_scenario(bundled_text("failover"), source="failover.toml")
    assert scenario.worlds == (World.VM, World.CONTAINER)
    assert scenario.seed == 42 and scenario.duration_s == 600
    (service,) = scenario.services
    assert (service.name, service.replicas, service.cpu, service.memory_mb, service.image) == (
        "web",
        8,
        2.0,
        4096,
        "nanoserver",
    )
    (event,) = scenario.events
    assert (event.at_s, event.kind, event.host) == (60.0, EventKind.HOST_FAIL, "r1-h01")


def test_malformed_toml_names_the_line():
    text = '[scenario]\nname = "x"\ntitle = "unterminated\nseed = 1\n'
    (message,) = problems(text)
    assert message.startswith("s.toml:3: malformed TOML")


def test_wrong_type_names_line_and_field():
    text = failover_text().replace("replicas = 8", 'replicas = "eight"')
    (message,) = problems(text)
    line = line_of(text, "replicas")
    assert message == f"s.toml:{line}: services[0].replicas: expected an integer, got a string"


def test_unknown_fields_in_each_section_are_named_with_suggestions():
    text = (
        failover_text()
        .replace("seed = 42", "seed = 42\nsede = 1")
        .replace("cores = 32", "cores = 32\ncors = 4")
        .replace('image = "nanoserver"', 'image = "nanoserver"\nreplica = 3')
        .replace("[parameters]", "[parameterz]")
    )
    found = problems(text)
    assert (
        f"s.toml:{line_of(text, 'sede')}: scenario.sede: unknown field; did you mean 'seed'?"
        in found
    )
    assert (
        f"s.toml:{line_of(text, 'cors =')}: cluster.cors: unknown field; did you mean 'cores'?"
        in found
    )
    assert any(
        m.startswith(f"s.toml:{line_of(text, 'replica = 3')}: services[0].replica: unknown field")
        for m in found
    )
    assert any(
        m.startswith(f"s.toml:{line_of(text, '[parameterz]')}: parameterz: unknown") for m in found
    )
    # Listed in file order.
    lines = [int(m.split(":")[1]) for m in found]
    assert lines == sorted(lines)


def test_unknown_parameter_and_bad_value():
    text = failover_text(
        parameters='"kubernetes.node_monitor_grace_perod_s" = 20\n'
        "[parameters.hyperv]\nsame_subnet_threshold = 1\n"
    )
    found = problems(text)
    assert any(
        "parameters.kubernetes.node_monitor_grace_perod_s: unknown parameter" in m
        and "did you mean kubernetes.node_monitor_grace_period_s" in m
        and m.startswith(f"s.toml:{line_of(text, 'grace_perod')}:")
        for m in found
    )
    assert any(
        m.startswith(f"s.toml:{line_of(text, 'same_subnet_threshold = 1')}: ")
        and "parameters.hyperv.same_subnet_threshold:" in m
        and "outside 3..120" in m
        for m in found
    )


def test_nested_parameter_tables_are_flattened():
    text = failover_text(parameters="[parameters.kubernetes]\nnode_monitor_grace_period_s = 20\n")
    scenario = loads_scenario(text)
    assert scenario.parameters["kubernetes.node_monitor_grace_period_s"] == 20.0


def test_event_must_name_a_real_host_and_happen_in_time():
    text = failover_text(events='[[events]]\nat_s = 900\nkind = "host_fail"\nhost = "r9-h01"\n')
    found = problems(text)
    assert any("events[0].host: no host called 'r9-h01'" in m for m in found)
    assert any("events[0].at_s: 900 s is after the scenario ends at 600 s" in m for m in found)
    text = failover_text(events='[[events]]\nat_s = 9\nkind = "host_explode"\nhost = "r1-h01"\n')
    assert any(
        "events[0].kind: 'host_explode' is not one of: host_fail, host_recover, rack_fail" in m
        for m in problems(text)
    )


def test_missing_required_fields():
    found = problems('[scenario]\ntitle = "t"\n[[services]]\nname = "a"\n')
    assert "s.toml:1: scenario.name: is required" in found
    assert any("services[0].replicas: is required" in m for m in found)


def test_missing_scenario_table():
    assert any("the [scenario] table is required" in m for m in problems("[cluster]\nracks = 1\n"))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (dict(racks=200, hosts_per_rack=100), "20,000 hosts is over the 10,000-host limit"),
        (dict(replicas=200_001), "outside 0..200,000"),
        (dict(duration_s=10**7), "outside 1..604800"),
    ],
)
def test_limits(change, message):
    assert any(message in m for m in problems(failover_text(**change)))


def test_replicas_summed_over_services_are_limited():
    text = failover_text(replicas=150_000, memory_mb=1, cpu=0.001)
    text += '[[services]]\nname = "b"\nreplicas = 60000\ncpu = 0.001\nmemory_mb = 1\n'
    assert any("210,000 replicas in all is over the 200,000 limit" in m for m in problems(text))


def test_oversized_file_is_refused_before_parsing(tmp_path):
    path = tmp_path / "big.toml"
    path.write_bytes(b"#" * (loader.MAX_FILE_BYTES + 1))
    with pytest.raises(ScenarioError, match="larger than"):
        load_scenario(path)


def test_unreadable_and_non_utf8_files(tmp_path):
    with pytest.raises(ScenarioError, match="cannot read"):
        load_scenario(tmp_path / "absent.toml")
    path = tmp_path / "latin.toml"
    path.write_bytes(b'[scenario]\nname = "caf\xe9"\n')
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert str(caught.value.first) == f"{path}:2: not UTF-8 text"


def test_deeply_nested_arrays_are_a_scenario_error():
    with pytest.raises(ScenarioError):
        loads_scenario("x = " + "[" * 5000 + "]" * 5000)


def test_duplicate_service_names_and_bad_names():
    text = failover_text() + '[[services]]\nname = "web"\nreplicas = 1\ncpu = 1\nmemory_mb = 1\n'
    assert any("another service is already called 'web'" in m for m in problems(text))
    text = failover_text().replace('name = "web"', 'name = "Web Server"')
    assert any("is not a name" in m for m in problems(text))


def test_one_line_counts_the_rest():
    with pytest.raises(ScenarioError) as caught:
        loads_scenario("[scenario]\nsede = 1\n", source="s.toml")
    assert caught.value.one_line().startswith("s.toml:1: scenario.name: is required (and ")


def test_set_events_are_checked_like_parameters():
    text = failover_text(
        events='[[events]]\nat_s = 100\nkind = "set"\n'
        'parameter = "kubernetes.default_unreachable_toleration_s"\nvalue = 30\n'
    )
    (event,) = loads_scenario(text).events
    assert (event.kind, event.parameter, event.value) == (
        EventKind.SET,
        "kubernetes.default_unreachable_toleration_s",
        30.0,
    )
    bad = failover_text(
        events=(
            '[[events]]\nat_s = 1\nkind = "set"\nparameter = "kubernetes.grace"\nvalue = 3\n'
            '[[events]]\nat_s = 2\nkind = "set"\n'
            'parameter = "hyperv.max_cluster_nodes"\nvalue = 8\n'
            '[[events]]\nat_s = 3\nkind = "set"\nparameter = "vm.guest_boot_s"\nvalue = "x"\n'
            '[[events]]\nat_s = 4\nkind = "set"\nparameter = "vm.guest_boot_s"\n'
            '[[events]]\nat_s = 5\nkind = "host_fail"\nhost = "r1-h01"\nvalue = 3\n'
        )
    )
    found = problems(bad)
    assert any("events[0].parameter: unknown parameter 'kubernetes.grace'" in m for m in found)
    assert any(
        "events[1].parameter: hyperv.max_cluster_nodes shapes the cluster" in m for m in found
    )
    assert any("events[2].value: vm.guest_boot_s takes a number" in m for m in found)
    assert any("events[3].value: is required" in m for m in found)
    assert any("events[4].value: a host_fail event has no value" in m for m in found)


def test_lesson_events_are_checked():
    text = failover_text(
        events=(
            '[[events]]\nat_s = 1\nkind = "scale"\nservice = "web"\nreplicas = 12\n'
            '[[events]]\nat_s = 2\nkind = "update"\nservice = "web"\n'
            '[[events]]\nat_s = 3\nkind = "rebalance"\nhost = "r1-h02"\ncount = 2\n'
            '[[events]]\nat_s = 4\nkind = "exploit"\nservice = "web"\n'
        )
    )
    scale, update, rebalance, exploit = loads_scenario(text).events
    assert (scale.kind, scale.service, scale.replicas) == (EventKind.SCALE, "web", 12)
    assert (update.kind, update.service) == (EventKind.UPDATE, "web")
    assert (rebalance.host, rebalance.count) == ("r1-h02", 2)
    assert (exploit.kind, exploit.service) == (EventKind.EXPLOIT, "web")
    bad = failover_text(
        events=(
            '[[events]]\nat_s = 1\nkind = "scale"\nservice = "wbe"\nreplicas = 12\n'
            '[[events]]\nat_s = 2\nkind = "scale"\nservice = "web"\n'
            '[[events]]\nat_s = 3\nkind = "rebalance"\nhost = "r1-h02"\ncount = 0\n'
            '[[events]]\nat_s = 4\nkind = "exploit"\nservice = "web"\nhost = "r1-h01"\n'
            '[[events]]\nat_s = 5\nkind = "scale"\nservice = "web"\nreplicas = 300000\n'
        )
    )
    found = problems(bad)
    assert any(
        "events[0].service: no service called 'wbe'; did you mean 'web'?" in m for m in found
    )
    assert any("events[1].replicas: is required" in m for m in found)
    assert any("events[2].count: 0 is outside 1..200,000" in m for m in found)
    assert any("events[3].host: a exploit event has no host" in m for m in found)
    assert any("events[4].replicas: 300000 is outside 0..200,000" in m for m in found)


def test_scaling_past_the_replica_limit_is_refused():
    events = "".join(
        f'[[events]]\nat_s = {i}\nkind = "scale"\nservice = "web"\nreplicas = {n}\n'
        for i, n in enumerate([150_000, 0, 150_000])
    )
    assert any(
        "scaling creates 300,000 replicas in all" in m
        for m in problems(failover_text(events=events))
    )


def test_worlds_lesson_and_compat_are_checked():
    text = failover_text().replace(
        'worlds = ["vm", "container"]',
        'worlds = ["vm-local-disk", "hyperv-container"]\nlesson = "fault-tolernce"',
    )
    text += '\n[compat]\nhosts = ["windows-server-2022", "amiga"]\n'
    found = problems(text)
    assert any("scenario.lesson: 'fault-tolernce' is not a row" in m for m in found)
    assert any("compat.hosts: 'amiga' is not one of" in m for m in found)
    assert any("compat.guests: is required" in m for m in found)
    good = failover_text().replace('worlds = ["vm", "container"]', 'worlds = ["vm-smb-share"]')
    good += '\n[compat]\nhosts = ["linux"]\nguests = ["windows-server-2019"]\n'
    scenario = loads_scenario(good)
    assert scenario.compat is not None and scenario.compat.hosts == ("linux",)


def test_an_empty_host_or_service_name_is_refused():
    text = failover_text(
        events=(
            '[[events]]\nat_s = 1\nkind = "rebalance"\nhost = ""\ncount = 1\n'
            '[[events]]\nat_s = 2\nkind = "scale"\nservice = ""\nreplicas = 3\n'
        )
    )
    found = problems(text)
    assert any("events[0].host: no host called ''" in m for m in found)
    assert any("events[1].service: no service called ''" in m for m in found)


def test_a_drain_names_a_host():
    text = failover_text(events='[[events]]\nat_s = 5\nkind = "drain"\nhost = "r1-h02"\n')
    (event,) = loads_scenario(text).events
    assert (event.kind, event.host) == (EventKind.DRAIN, "r1-h02")
    bad = failover_text(events='[[events]]\nat_s = 5\nkind = "drain"\n')
    assert any("events[0].host: is required" in m for m in problems(bad))


def test_a_retired_setting_is_ignored_with_a_warning_and_the_file_still_opens():
    text = (
        '[scenario]\nname = "old"\ntitle = "Saved by 0.1.0"\n'
        '[[services]]\nname = "web"\nreplicas = 1\ncpu = 1.0\nmemory_mb = 100\n'
        '[parameters]\n"kubernetes.node_status_update_frequency_s" = 4\n'
        '"kubernetes.node_monitor_grace_period_s" = 40\n'
    )
    scenario = loads_scenario(text, source="old.toml")
    assert dict(scenario.parameters.overrides) == {"kubernetes.node_monitor_grace_period_s": 40}
    (warning,) = scenario.warnings
    assert warning.startswith("old.toml:10: parameters.kubernetes.node_status_update_frequency_s")
    assert "ignored" in warning and "kubernetes.node_lease_duration_s" in warning
    # The warning is no part of the scenario: a file saved again is the same scenario.
    from vmc_gui.model.scenario_toml import dumps_scenario

    again = loads_scenario(dumps_scenario(scenario), source="again.toml")
    assert again == scenario and again.warnings == ()
