"""The settings text: every TrainConfig field and the preset round-trip; a bad text names the bad part."""

from dataclasses import fields

import pytest

from playground.training import TrainConfig
from playground.training.settings_text import (
    PresetChoice,
    SettingsTextError,
    SharedSettings,
    format_settings,
    parse_settings,
)

# Not one field at its default, so a field the text forgot would come back different.
ODD = TrainConfig(
    hidden=(16, 3, 256),
    activation="leaky_relu",
    init="he",
    optimizer="momentum",
    learning_rate=0.0123456789,
    momentum=0.5,
    batch_size=32,
    l1=1e-05,
    l2=0.3,
    test_ratio=0.25,
    seed=2**31 - 1,
    max_epochs=1000,
    dtype="float64",
    features=("x2", "x1sq", "x1x2", "sinx2"),
)


def test_every_field_differs_from_its_default_in_the_odd_config():
    default = TrainConfig()
    assert all(getattr(ODD, f.name) != getattr(default, f.name) for f in fields(TrainConfig))


@pytest.mark.parametrize("preset", [None, PresetChoice("spiral", 321, 0.15)])
def test_settings_and_preset_round_trip(preset):
    text = format_settings(ODD, preset)
    assert parse_settings(text) == SharedSettings(ODD, preset)
    assert text.startswith("pg1,") and len(text) < 240  # every field off its default, four features
    assert " " not in text and not set(text) & set("'\"&;|<>()$`\\*?")  # no quoting needed in a shell


def test_no_hidden_layer_and_a_short_hand_written_text():
    assert parse_settings(format_settings(TrainConfig(hidden=()))).config.hidden == ()
    shared = parse_settings(" pg1, preset=xor, hidden=4-2, learning_rate=0.1 ,")
    assert shared.config == TrainConfig(hidden=(4, 2), learning_rate=0.1)  # the rest: defaults
    assert shared.preset == PresetChoice("xor", 500, 0.0)
    assert parse_settings("pg1,preset=custom").preset is None


@pytest.mark.parametrize(
    "text,named",
    [
        ("", "empty"),
        ("hidden=8", "should start with pg1"),
        ("pg2,lr=0.1", "version 2"),
        ("pg1,lr=abc", "'lr=abc': 'abc' is not a number"),
        ("pg1,lr=nan", "'lr=nan'"),
        ("pg1,lr=99", "'lr=99': learning rate must lie in"),
        ("pg1,hidden=8-x", "'hidden=8-x': layer 2"),
        ("pg1,hidden=8-300", "'hidden=8-300': a layer has 1 to 256"),
        ("pg1,seed=2.5", "'seed=2.5': '2.5' is not a whole number"),
        ("pg1,act=swish", "'act=swish': unknown activation"),
        ("pg1,features=x1-x3", "'features=x1-x3': unknown input feature 'x3'"),
        ("pg1,features=", "'features=': choose at least one input feature"),
        ("pg1,features=x1-x1", "'features=x1-x1': input feature 'x1' is named twice"),
        ("pg1,colour=red", "unknown setting 'colour'"),
        ("pg1,lr", "'lr' is not key=value"),
        ("pg1,lr=0.1,learning_rate=0.2", "'learning_rate' is given twice"),
        ("pg1,preset=donut", "'preset=donut': unknown preset"),
        ("pg1,preset=spiral:5", "'preset=spiral:5': a preset has 10..5000 points"),
        ("pg1,preset=spiral:500:2", "'preset=spiral:500:2': noise must lie in"),
    ],
)
def test_a_bad_text_is_refused_naming_the_bad_part(text, named):
    with pytest.raises(SettingsTextError) as info:
        parse_settings(text)
    assert named in str(info.value)


def test_a_regression_preset_and_features_are_shared_too():
    shared = parse_settings(format_settings(TrainConfig(features=("x1sq",)), PresetChoice("multigauss", 200, 0.1)))
    assert shared.preset == PresetChoice("multigauss", 200, 0.1) and shared.config.features == ("x1sq",)
    assert parse_settings("pg1,preset=xor").config.features == ("x1", "x2")  # a text from before features
