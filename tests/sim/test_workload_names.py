"""Workload names made on demand read as the list of strings they stand for."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from vmc_gui.sim.workload_names import WorkloadNames

SERVICES = ["web", "api", "db"]

#: Appends (service, replica) and extends (service, first, count), in any order.
steps = st.lists(
    st.one_of(
        st.tuples(st.integers(0, 2), st.integers(0, 500)),
        st.tuples(st.integers(0, 2), st.integers(0, 500), st.integers(0, 40)),
    ),
    max_size=20,
)


@given(steps)
def test_the_names_are_the_strings_they_stand_for(steps):
    names = WorkloadNames(SERVICES)
    expected: list[str] = []
    for step in steps:
        if len(step) == 2:
            s, r = step
            names.append(s, r)
            expected.append(f"{SERVICES[s]}-{r}")
        else:
            s, first, count = step
            names.extend(s, first, count)
            expected += [f"{SERVICES[s]}-{i}" for i in range(first, first + count)]
    assert len(names) == len(expected)
    assert list(names) == expected
    assert [names[i] for i in range(len(names))] == expected
    assert names[1:-1:2] == expected[1:-1:2]
    assert names == expected and names != [*expected, "x"]
    if expected:
        assert names[-1] == expected[-1]
        assert names.index(expected[-1]) == expected.index(expected[-1])
        assert expected[0] in names
