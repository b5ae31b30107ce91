"""Mutation fuzzing of valid files (attack 9): every case loads or raises UnsafeModelError, in bounded time.

Four mutators, 2,100 cases per run in all: raw bytes of the whole archive; bytes of
one member, re-zipped with a valid CRC so the mutation reaches the parsers; the
config.json tree (values replaced, deleted, duplicated or swapped with JSON that
hypothesis draws, biased towards names the format uses); and bare safetensors
weights files. A case that raises anything else, or runs longer than
``CASE_SECONDS``, fails the test.
"""

from __future__ import annotations

import contextlib
import json
import signal
import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fitorch
from fitorch import layers
from fitorch.saving import UnsafeModelError, load_model, load_weights
from tests.saving.helpers import read_members, small_data, write_members

CASE_SECONDS = 5


def fuzz(cases):
    return settings(max_examples=cases, deadline=None, database=None, suppress_health_check=list(HealthCheck))


class CaseTimeout(Exception):
    pass


@contextlib.contextmanager
def time_limit(seconds):
    def expire(signum, frame):
        raise CaseTimeout(f"a fuzz case ran longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def loads_or_refuses(load, *args, **kwargs):
    """The property: the call returns, or raises UnsafeModelError; nothing else, and in bounded time."""
    with warnings.catch_warnings(), time_limit(CASE_SECONDS):
        warnings.simplefilter("ignore")
        try:
            load(*args, **kwargs)
        except UnsafeModelError:
            pass


@pytest.fixture(scope="module")
def valid_file(tmp_path_factory):
    """A small compiled model with optimizer state, a shared layer and a nested model."""
    inputs = layers.Input(shape=(6,), name="x")
    shared = layers.Dense(6, activation="relu", name="shared")
    inner_in = layers.Input(shape=(6,), name="inner_x")
    inner = fitorch.Model(inner_in, layers.BatchNormalization(name="bn")(inner_in), name="inner")
    hidden = layers.Concatenate(name="cat")([shared(inputs), inner(shared(inputs))])
    model = fitorch.Model(inputs, layers.Dense(3, activation="softmax", name="probs")(hidden), name="fuzzed")
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(*small_data(), epochs=1, verbose=0)
    path = tmp_path_factory.mktemp("fuzz") / "valid.fitorch"
    model.save(path)
    return path


@pytest.fixture(scope="module")
def target_model(valid_file):
    return load_model(valid_file, compile=False)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz_cases")


def test_the_fuzzed_file_is_valid(valid_file):
    assert load_model(valid_file).name == "fuzzed"


# ---------------------------------------------------------------------- byte mutations
def mutate_bytes(data, draw):
    data = bytearray(data)
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["flip", "set", "truncate", "insert", "delete"]))
        if not data:
            break
        position = draw(st.integers(0, len(data) - 1))
        if kind == "flip":
            data[position] ^= 1 << draw(st.integers(0, 7))
        elif kind == "set":
            data[position] = draw(st.sampled_from([0, 0xFF, 0x7F, 0x80, ord("{"), ord('"'), ord("9")]))
        elif kind == "truncate":
            del data[position:]
        elif kind == "insert":
            data[position:position] = draw(st.binary(min_size=1, max_size=16))
        else:
            del data[position : position + draw(st.integers(1, 64))]
    return bytes(data)


@fuzz(500)
@given(data=st.data())
def test_raw_byte_mutations(valid_file, scratch, data):
    path = scratch / "raw.fitorch"
    path.write_bytes(mutate_bytes(valid_file.read_bytes(), data.draw))
    loads_or_refuses(load_model, path)


@fuzz(600)
@given(data=st.data())
def test_member_mutations_reach_the_parsers(valid_file, scratch, data):
    members = read_members(valid_file)
    name = data.draw(st.sampled_from(sorted(members)))
    members[name] = mutate_bytes(members[name], data.draw)
    path = write_members(scratch / "member.fitorch", members)
    loads_or_refuses(load_model, path)


# ---------------------------------------------------------------------- config tree mutations
FORMAT_WORDS = ["class_name", "config", "name", "layer", "args", "kwargs", "tensor", "tuple", "dict", "layers",
                "nodes", "inputs", "outputs", "units", "Dense", "Functional", "Sequential", "Lambda", "InputLayer",
                "BatchNormalization", "Concatenate", "os.system", "gadget>x", "../x", "x/y", "function_name",
                "code", "float32", "int64", "relu", "same", "shared", "probs", "x", "inner", "bn"]  # fmt: skip
JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.floats(allow_nan=False, width=32)
    | st.text(max_size=10) | st.sampled_from(FORMAT_WORDS) | st.integers(-3, 40),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(FORMAT_WORDS) | st.text(max_size=6), children, max_size=4),
    max_leaves=12,
)  # fmt: skip


def paths_of(tree, prefix=()):
    yield prefix
    if isinstance(tree, dict):
        for key, value in tree.items():
            yield from paths_of(value, (*prefix, key))
    elif isinstance(tree, list):
        for index, value in enumerate(tree):
            yield from paths_of(value, (*prefix, index))


def get_path(tree, path):
    for part in path:
        tree = tree[part]
    return tree


def mutate_tree(tree, draw):
    for _ in range(draw(st.integers(1, 3))):
        paths = list(paths_of(tree))
        path = draw(st.sampled_from(paths))
        kind = draw(st.sampled_from(["replace", "delete", "duplicate", "swap"]))
        if not path:
            tree = draw(JSON) if kind == "replace" else tree
            continue
        parent, key = get_path(tree, path[:-1]), path[-1]
        if kind == "replace":
            parent[key] = draw(JSON)
        elif kind == "delete":
            del parent[key]
        elif kind == "duplicate" and isinstance(parent, list):
            parent.insert(key, json.loads(json.dumps(parent[key])))
        else:
            other = draw(st.sampled_from(paths))
            if other and other[: len(path)] != path and path[: len(other)] != other:
                parent[key] = json.loads(json.dumps(get_path(tree, other)))
    return tree


@fuzz(700)
@given(data=st.data())
def test_config_tree_mutations(valid_file, scratch, data):
    members = read_members(valid_file)
    name = data.draw(st.sampled_from(["config.json", "config.json", "config.json", "metadata.json"]))
    tree = mutate_tree(json.loads(members[name]), data.draw)
    members[name] = json.dumps(tree).encode()
    path = write_members(scratch / "tree.fitorch", members)
    loads_or_refuses(load_model, path, compile=data.draw(st.booleans()))


# ---------------------------------------------------------------------- weights files
@fuzz(300)
@given(data=st.data())
def test_weights_file_mutations(valid_file, target_model, scratch, data):
    raw = read_members(valid_file)["model.safetensors"]
    header_length = int.from_bytes(raw[:8], "little")
    if data.draw(st.booleans()):
        header = mutate_tree(json.loads(raw[8 : 8 + header_length]), data.draw)
        encoded = json.dumps(header).encode()
        mutated = len(encoded).to_bytes(8, "little") + encoded + raw[8 + header_length :]
    else:
        mutated = mutate_bytes(raw, data.draw)
    path = scratch / "weights.safetensors"
    path.write_bytes(mutated)
    try:
        loads_or_refuses(load_weights, target_model, path)
    except ValueError as error:  # a name or shape mismatch: the documented report, a plain ValueError
        assert "do not fit model" in str(error) and not isinstance(error, UnsafeModelError)
