"""Every setting has a short label in plain words for the inspector, beside its real name."""

from __future__ import annotations

import pytest

from vmc_gui.model.parameters import PARAMETERS


@pytest.mark.parametrize("parameter", PARAMETERS.values(), ids=lambda p: p.name)
def test_every_parameter_has_a_short_plain_label(parameter):
    label = parameter.label
    assert label and label == label.strip()
    assert len(label) <= 40, label
    assert label[0].isupper() and not label.endswith(".")
    # Words, not the setting's own name again.
    assert "_" not in label and parameter.name.split(".")[-1] not in label


def test_the_labels_tell_the_settings_apart():
    labels = [p.label for p in PARAMETERS.values()]
    assert len(set(labels)) == len(labels)
