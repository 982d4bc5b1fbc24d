"""Live migration's arithmetic: link sharing, transports, and the migrations a world makes."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vmc_gui.model.parameters import ParameterSet
from vmc_gui.sim.migration import (
    PAYLOAD_SHARE,
    LinkModel,
    Transport,
    megabytes_per_second,
    water_fill,
)


def test_one_gbe_carries_what_finn_measured():
    # Finn's "maximum transfer" on 1 GbE: 119,509,089 bytes/s.
    tcp = LinkModel.from_parameters(
        ParameterSet({"migration.bandwidth_gbps": 1, "migration.performance_option": 0})
    )
    assert tcp.adapter_mb_s * 2**20 == pytest.approx(119_509_089, rel=0.01)
    assert tcp.transport is Transport.TCP
    # One stream carries half of 10 GbE, so Hyper-V's default two fill it; SMB's Multichannel
    # is not held to one stream.
    assert 2 * tcp.stream_mb_s == pytest.approx(megabytes_per_second(10) * PAYLOAD_SHARE)
    smb = LinkModel.from_parameters(ParameterSet({"migration.performance_option": "smb"}))
    assert smb.stream_mb_s == math.inf


def test_compression_doubles_the_adapter_and_is_held_to_the_cpu():
    link = LinkModel.from_parameters(ParameterSet())  # compression is the default
    assert link.transport is Transport.COMPRESSION
    assert link.adapter_mb_s == pytest.approx(megabytes_per_second(10) * PAYLOAD_SHARE * 2)
    assert link.stream_mb_s == 500
    # On 1 GbE compression is the faster choice, on 10 GbE plain TCP is (Microsoft's advice).
    slow = {"migration.bandwidth_gbps": 1}
    squeezed = LinkModel.from_parameters(ParameterSet(slow))
    plain = LinkModel.from_parameters(ParameterSet({**slow, "migration.performance_option": 0}))
    assert min(squeezed.adapter_mb_s, squeezed.stream_mb_s) > plain.adapter_mb_s
    fast_plain = LinkModel.from_parameters(ParameterSet({"migration.performance_option": 0}))
    assert fast_plain.adapter_mb_s > link.stream_mb_s


def test_copies_from_one_host_share_its_adapter():
    assert water_fill([(0, 1), (0, 2)], 100.0, math.inf) == [50.0, 50.0]
    assert water_fill([(0, 1), (0, 2)], 100.0, 30.0) == [30.0, 30.0]
    # A copy held elsewhere leaves its share to the other: 0->1 and 2->1 share 1's receiving
    # adapter; 2->3 gets what 2's sending adapter has left.
    rates = water_fill([(0, 1), (2, 1), (2, 3)], 100.0, math.inf)
    assert rates == pytest.approx([50.0, 50.0, 50.0])
    rates = water_fill([(0, 1), (0, 2), (0, 3), (4, 3)], 90.0, math.inf)
    assert rates == pytest.approx([30.0, 30.0, 30.0, 60.0])


@given(
    st.lists(
        st.tuples(st.integers(0, 4), st.integers(0, 4)).filter(lambda e: e[0] != e[1]),
        min_size=1,
        max_size=12,
    ),
    st.floats(1.0, 1000.0),
    st.one_of(st.just(math.inf), st.floats(1.0, 1000.0)),
)
def test_water_fill_is_feasible_and_max_min_fair(ends, adapter, stream):
    rates = water_fill(ends, adapter, stream)
    load: dict[tuple[str, int], float] = {}
    for (source, target), rate in zip(ends, rates, strict=True):
        assert 0 < rate <= stream + 1e-9
        load[("out", source)] = load.get(("out", source), 0.0) + rate
        load[("in", target)] = load.get(("in", target), 0.0) + rate
    assert all(total <= adapter * (1 + 1e-9) for total in load.values())
    # Fair: each copy is held by its stream limit or by a full adapter on which no other
    # copy gets more than it does.
    for (source, target), rate in zip(ends, rates, strict=True):
        if rate >= stream - 1e-9:
            continue
        held = False
        for key in (("out", source), ("in", target)):
            if load[key] >= adapter * (1 - 1e-9):
                sharing = [
                    r
                    for (s, t), r in zip(ends, rates, strict=True)
                    if key in (("out", s), ("in", t))
                ]
                held = held or max(sharing) <= rate + 1e-9
        assert held
