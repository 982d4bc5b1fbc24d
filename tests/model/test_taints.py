"""Taints and tolerations match as the Kubernetes API's ToleratesTaint does, and a scenario
file carries a service's tolerations and starting placement both ways."""

from __future__ import annotations

import pytest

from vmc_gui.model.errors import ScenarioError
from vmc_gui.model.loader import loads_scenario
from vmc_gui.model.scenario_toml import dumps_scenario
from vmc_gui.model.taints import HARD_EFFECTS, Taint, Toleration, parse_taint, untolerated

BATCH = Taint("dedicated", "batch", "NoSchedule")


@pytest.mark.parametrize(
    ("toleration", "matches"),
    [
        (Toleration("dedicated", "Equal", "batch", "NoSchedule"), True),
        (Toleration("dedicated", "Equal", "gpu", "NoSchedule"), False),
        (Toleration("dedicated", "Exists", "", "NoSchedule"), True),
        (Toleration("dedicated", "Exists", "", ""), True),  # an empty effect: every effect
        (Toleration("dedicated", "Equal", "batch", "NoExecute"), False),
        (Toleration("", "Exists", "", ""), True),  # an empty key with Exists: everything
        (Toleration("", "Exists", "", "NoExecute"), False),
        (Toleration("other", "Exists", "", ""), False),
    ],
)
def test_tolerates_as_the_api_does(toleration: Toleration, matches: bool) -> None:
    assert toleration.tolerates(BATCH) is matches


def test_only_hard_effects_keep_a_pod_off() -> None:
    taints = [BATCH, parse_taint("spot:PreferNoSchedule"), parse_taint("gone:NoExecute")]
    assert untolerated(taints, [], HARD_EFFECTS) == [BATCH, Taint("gone", "", "NoExecute")]
    tolerated = [Toleration("dedicated", "Exists", "", ""), Toleration("gone", "Exists", "", "")]
    assert untolerated(taints, tolerated, HARD_EFFECTS) == []


def test_a_taint_reads_and_writes_as_kubectl_prints_it() -> None:
    for text in ("dedicated=batch:NoSchedule", "node.kubernetes.io/unschedulable:NoSchedule"):
        assert parse_taint(text).text == text
    with pytest.raises(ValueError, match="not a taint"):
        parse_taint("dedicated=batch")


_DOC = """
[scenario]
name = "t"
title = "T"
[cluster]
[[hosts]]
name = "a"
cores = 4
memory_gb = 16
taints = ["dedicated=batch:NoSchedule"]
[[hosts]]
name = "b"
cores = 4
memory_gb = 16
[[services]]
name = "web"
replicas = 3
cpu = 0.5
memory_mb = 256
{extra}
"""


def test_tolerations_and_placement_round_trip() -> None:
    extra = (
        'tolerations = [{key = "dedicated", value = "batch", effect = "NoSchedule"}, '
        '{key = "gone", operator = "Exists", effect = "NoExecute", seconds = 60}]\n'
        'placement = ["a", "b"]'
    )
    scenario = loads_scenario(_DOC.format(extra=extra))
    web = scenario.services[0]
    assert web.tolerations == (
        Toleration("dedicated", "Equal", "batch", "NoSchedule"),
        Toleration("gone", "Exists", "", "NoExecute", 60.0),
    )
    assert web.placement == ("a", "b")
    assert loads_scenario(dumps_scenario(scenario)) == scenario


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('tolerations = [{key = "x", operator = "Exist"}]', r"20: .*'Exist' is not one of"),
        ('tolerations = [{value = "x"}]', 'without a key must have operator = "Exists"'),
        ('tolerations = [{key = "x", operator = "Exists", value = "y"}]', "takes no value"),
        ('tolerations = [{key = "x", effect = "Never"}]', "not a taint effect"),
        ('tolerations = [{key = "x", secs = 3}]', "no field 'secs'"),
        ('placement = ["zz"]', "'zz' is not one of the cluster's hosts"),
        ('placement = ["a", "a", "b", "b"]', "up to 3 host names"),
    ],
)
def test_bad_tolerations_and_placements_are_named(extra: str, message: str) -> None:
    with pytest.raises(ScenarioError, match=message):
        loads_scenario(_DOC.format(extra=extra))
