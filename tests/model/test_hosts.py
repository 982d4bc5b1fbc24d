"""A cluster of unequal hosts (issue 21): the long form ``[[hosts]]`` loads, is written back
as it was read, and each host's size is its own in the simulation and in the views."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from vmc_gui.model.cluster import ClusterSpec, HostSpec, build_cluster, hosts_by_rack
from vmc_gui.model.errors import ScenarioError
from vmc_gui.model.loader import load_scenario, loads_scenario
from vmc_gui.model.scenario_toml import dumps_scenario
from vmc_gui.sim import simulate

EXAMPLE = Path(__file__).parents[2] / "examples" / "unequal-hosts.toml"

HEAD = """
[scenario]
name = "h"
title = "Hosts"
duration_s = 300
"""


def hosts_text(*tables: str, cluster: str = "") -> str:
    return HEAD + cluster + "".join(f"\n[[hosts]]\n{t}\n" for t in tables)


def problems(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        loads_scenario(text, source="s.toml")
    return [str(p) for p in caught.value.problems]


def test_the_long_form_reads_each_host_and_sums_up_the_cluster():
    scenario = load_scenario(EXAMPLE)
    spec = scenario.cluster
    assert spec.host_names() == [
        "node-a1",
        "node-a2",
        "ip-10-0-2-11.ec2.internal",
        "node-b2",
        "node-b3",
        "node-c1",
    ]
    assert spec.rack_sizes() == [2, 3, 1]
    assert (spec.racks, spec.hosts_per_rack, spec.host_count) == (3, 3, 6)
    # The largest host's size, rounded up: a replica may ask up to it.
    assert (spec.cores, spec.memory_gb) == (64, 256.0)
    small = spec.hosts[2]
    assert (small.cores, small.memory_gb, small.pods) == (7.91, 29.7, 110)
    assert small.taints == ("dedicated=gpu:NoSchedule",)
    assert [spec.rack_of(i) for i in range(6)] == [1, 1, 2, 2, 2, 3]
    graph = build_cluster(spec)
    assert hosts_by_rack(graph) == {
        1: ["node-a1", "node-a2"],
        2: ["ip-10-0-2-11.ec2.internal", "node-b2", "node-b3"],
        3: ["node-c1"],
    }
    assert graph.nodes["node-a1"]["cores"] == 16


def test_the_short_form_expands_to_the_same_hosts():
    spec = ClusterSpec(racks=2, hosts_per_rack=2, cores=8, memory_gb=32.0)
    assert spec.host_specs() == (
        HostSpec("r1-h01", 1, 8.0, 32.0, 2000.0),
        HostSpec("r1-h02", 1, 8.0, 32.0, 2000.0),
        HostSpec("r2-h01", 2, 8.0, 32.0, 2000.0),
        HostSpec("r2-h02", 2, 8.0, 32.0, 2000.0),
    )
    assert spec.rack_sizes() == [2, 2]


def test_a_file_with_hosts_is_written_back_as_it_was_read():
    scenario = load_scenario(EXAMPLE)
    text = dumps_scenario(scenario)
    assert "[[hosts]]" in text and "hosts_per_rack" not in text
    again = loads_scenario(text, source="again.toml")
    assert again.cluster == scenario.cluster
    assert again.services == scenario.services and again.events == scenario.events


def test_each_mistake_in_the_hosts_is_named_with_its_line():
    found = problems(
        hosts_text(
            'name = "a"\nrack = 1\ncores = 4\nmemory_gb = 16',
            'name = "a"\nrack = 3\ncores = 4\nmemory_gb = 16',
            'name = "tor-r1"\ncores = 4\nmemory_gb = 16',
            'name = "b c"\ncores = 4\nmemory_gb = 16',
            'name = "d"\ncores = 4\nmemory_gb = 16\ntaints = ["gpu:Sometimes"]',
            'name = "e"\nmemory_gb = 16',
            cluster="\n[cluster]\nracks = 2\n",
        )
    )
    text = "\n".join(found)
    assert "cluster.racks" in text and "each of the [[hosts]] gives its own" in text
    assert "another host is already called 'a'" in text
    assert "rack 2 has no host: number the racks 1 to 3 without a gap" in text
    assert "'tor-r1' is the name of a switch or of the storage" in text
    assert "'b c' is not a host name" in text
    assert "'gpu:Sometimes' is not a taint" in text
    assert "hosts[5].cores" in text  # required
    assert all("s.toml" in p for p in found)


def test_each_host_holds_what_its_own_size_allows():
    scenario = load_scenario(EXAMPLE)
    timeline = simulate(scenario)
    for wt in timeline.worlds.values():
        assert wt.run.host_cores == [16.0, 32.0, 7.91, 48.0, 48.0, 64.0]
        state = wt.state_at(30.0)  # deployed, before the failure
        memory = np.asarray(wt.run.host_memory_mb) / 1024
        assert np.all(state.host_memory_gb <= memory + 1e-9)
        assert np.all(state.host_cpu <= np.asarray(wt.run.host_cores) + 1e-9)


def test_a_host_too_small_for_a_replica_takes_none():
    """A 2 GB node beside 64 GB ones: a 4 GB replica never lands on it."""
    text = (
        hosts_text(
            'name = "tiny"\nrack = 1\ncores = 2\nmemory_gb = 2',
            'name = "big-1"\nrack = 1\ncores = 32\nmemory_gb = 64',
            'name = "big-2"\nrack = 2\ncores = 32\nmemory_gb = 64',
        )
        + '\n[[services]]\nname = "web"\nreplicas = 8\ncpu = 1.0\nmemory_mb = 4096\n'
    )
    timeline = simulate(loads_scenario(text, source="tiny.toml"))
    for wt in timeline.worlds.values():
        state = wt.state_at(60.0)
        assert not np.any(state.workload_host == 0), wt.run.world
        assert np.count_nonzero(state.workload_host >= 1) == 8


def test_a_node_takes_no_more_pods_than_its_own_allocatable_pods():
    """A node whose allocatable pods is 2 holds 2 pods however much room it has; the VM world
    has no such limit."""
    text = (
        hosts_text(
            'name = "small-pods"\nrack = 1\ncores = 64\nmemory_gb = 256\npods = 2',
            'name = "big-1"\nrack = 1\ncores = 8\nmemory_gb = 32',
            'name = "big-2"\nrack = 2\ncores = 8\nmemory_gb = 32',
        )
        + '\n[[services]]\nname = "web"\nreplicas = 12\ncpu = 0.5\nmemory_mb = 1024\n'
    )
    timeline = simulate(loads_scenario(text, source="pods.toml"))
    pods = timeline.worlds[next(w for w in timeline.worlds if w.value == "container")]
    state = pods.state_at(60.0)
    assert np.count_nonzero(state.workload_host == 0) == 2
    assert np.count_nonzero(state.workload_host >= 0) == 12
    vms = timeline.worlds[next(w for w in timeline.worlds if w.value == "vm")]
    assert np.count_nonzero(vms.state_at(60.0).workload_host == 0) > 2


def test_a_rack_is_titled_by_its_zone_where_the_hosts_name_one():
    text = hosts_text(
        'name = "a"\nrack = 1\ncores = 4\nmemory_gb = 16\nzone = "eu-west-1a"',
        'name = "b"\nrack = 2\ncores = 4\nmemory_gb = 16\nzone = "eu-west-1b"',
        'name = "c"\nrack = 3\ncores = 4\nmemory_gb = 16',
    )
    scenario = loads_scenario(text, source="z.toml")
    spec = scenario.cluster
    assert spec.rack_titles() == ["eu-west-1a", "eu-west-1b", "Rack 3"]
    # The node lifecycle controller's zones read as the labels do.
    assert spec.zone_names() == ["eu-west-1a", "eu-west-1b", "rack-3"]
    again = loads_scenario(dumps_scenario(scenario), source="again.toml")
    assert again.cluster == spec
    assert "zone normal" not in str(ClusterSpec().zone_names())  # the short form keeps rack-N
    assert ClusterSpec(racks=2).zone_names() == ["rack-1", "rack-2"]
    bad = problems(hosts_text('name = "a"\ncores = 4\nmemory_gb = 16\nzone = "a b c"'))
    assert any("'a b c' is not a zone name" in p for p in bad)
