"""``KerasFileEditor``: Keras' tool to inspect, edit and resave the weights of a ``.keras``/``.weights.h5`` file.

The file's weights become a tree of dicts, ``weights_dict``: one dict per object
(``{"layers": {"dense": {"0": kernel, "1": bias}}}``), holding the object's own
variables (the datasets of its ``vars`` group, named ``"0"``, ``"1"`` ...) and its
sub-objects (an LSTM's ``cell``, a nested model's ``layers``). Objects without any
weights are left out, as Keras leaves them out. The file is read through
:class:`~fitorch.saving.keras.hdf5.H5Reader` (hard links only, sizes checked first, a
``.keras`` archive through :func:`~fitorch.saving.archive.read_archive`), so a crafted
file raises :class:`~fitorch.saving.errors.UnsafeModelError`; nothing in it runs.
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping
from typing import Any

import numpy as np
import torch
from torch import nn

from fitorch.saving import archive, limits, safe_json
from fitorch.saving.errors import UnsafeModelError, quote
from fitorch.saving.keras.hdf5 import MAX_DEPTH, H5Reader, refusing_malformed
from fitorch.saving.keras.load import KERAS_MEMBERS, KERAS_WEIGHTS

#: A file's weights: object name -> sub-tree, or variable name -> array.
Tree = dict[str, Any]


def _attributes(obj: Any) -> dict[str, str]:
    """An HDF5 object's text attributes (Keras puts the object's ``name`` on its ``vars`` group)."""
    found = {}
    for key, value in obj.attrs.items():
        if isinstance(value, (bytes, np.bytes_)):
            value = bytes(value).decode("utf-8", "replace")
        if isinstance(value, str) and len(value) <= limits.MAX_NAME_LENGTH:
            found[key] = value
    return found


def _read_object(reader: H5Reader, group: Any, path: str, metadata: dict[str, dict[str, str]], depth: int) -> Tree:
    """One HDF5 group as a tree: its ``vars`` datasets, then its other members (sub-objects)."""
    if depth > MAX_DEPTH:
        raise UnsafeModelError(f"{reader.what}: groups nest deeper than {MAX_DEPTH} levels at {quote(group.name)}.")
    tree: Tree = {}
    attributes = _attributes(group)
    variables = reader.child(group, "vars", "group", required=False)
    if variables is not None:
        attributes.update(_attributes(variables))
        names = reader.keys(variables)
        for name in sorted(names, key=lambda n: (not n.isdigit(), int(n) if n.isdigit() else 0, n)):
            tree[name] = reader.read(reader.child(variables, name, "dataset"))
    if attributes:
        metadata[path] = attributes
    for key in reader.keys(group):
        if key == "vars":
            continue
        if key in tree:
            raise UnsafeModelError(
                f"{reader.what}: {quote(group.name)} has a variable and a member named {quote(key)}."
            )
        member = reader.child(group, key, None)
        if isinstance(member, reader.h5py.Dataset):
            tree[key] = reader.read(member)
            continue
        subtree = _read_object(reader, member, f"{path}/{key}", metadata, depth + 1)
        if subtree:  # objects without weights are left out, as Keras leaves them out
            tree[key] = subtree
    return tree


def _as_array(value: Any, where: str) -> np.ndarray:
    array = value.detach().cpu().numpy() if isinstance(value, torch.Tensor) else np.asarray(value)
    if array.dtype.kind not in "fiub":
        raise ValueError(f"{where} must be a numeric array; received dtype {array.dtype} ({type(value).__name__}).")
    return array


def _as_tree(weights: Any, argument: str) -> Tree:
    """A copy of a user's ``{name: array or dict}`` with arrays as NumPy, every name checked."""
    if not isinstance(weights, Mapping):
        raise ValueError(
            f"Argument `{argument}` should be a dict where keys are weight names (usually '0', '1', etc.) and values "
            f"are NumPy arrays. Received: type({argument})={type(weights)}"
        )
    tree: Tree = {}
    for name, value in weights.items():
        if not isinstance(name, str) or not name or "/" in name or name == "vars":
            raise ValueError(f"Argument `{argument}`: names must be non-empty strings without '/'; received {name!r}.")
        where = f"`{argument}[{name!r}]`"
        tree[name] = _as_tree(value, where) if isinstance(value, Mapping) else _as_array(value, where)
    return tree


def _shape_tree(model: nn.Module) -> Tree:
    """The tree of weight shapes Keras would write for ``model`` (the reference of ``compare``)."""
    from fitorch.saving.keras_export import keras_export_problem
    from fitorch.saving.keras_export.weights import variable_groups

    problem = keras_export_problem(model)
    if problem is not None:
        raise ValueError(f"KerasFileEditor.compare: the reference model has no Keras weights layout. {problem}")
    tree: Tree = {}
    for group in variable_groups(model):
        if not group.arrays:
            continue
        node = tree
        for part in filter(None, group.path.split("/")):
            node = node.setdefault(part, {})
        # a read-only view of one zero with the weight's shape and dtype: its spec, using no memory
        node.update({str(i): np.broadcast_to(np.zeros((), a.dtype), a.shape) for i, a in enumerate(group.arrays)})
    return tree


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


class KerasFileEditor:
    """Inspects, edits and resaves the weights of a Keras ``.keras`` or ``.weights.h5`` file.

    Useful to adapt a saved weights file after changing a model's architecture:
    delete the weights of a removed layer, add those of a new one, rename an object,
    check the result against the new model with :meth:`compare`, and write a
    ``.weights.h5`` file that ``model.load_weights`` (fitorch's or Keras') reads.
    Opening the file prints its name (and, for a ``.keras`` file, the Keras version
    and date it was saved with), as Keras does.

    Args:
        filepath: the ``.keras`` or ``.weights.h5`` file to inspect and edit.

    Attributes:
        weights_dict: the weights as nested dicts: object names down to variable
            names (``"0"``, ``"1"`` ...) and their NumPy arrays.
        object_metadata: ``{"/layers/dense": {"name": "dense_1"}, ...}``, the
            attributes the file stores for each object.
        config: a ``.keras`` file's ``config.json`` (``None`` for ``.weights.h5``).
        metadata: a ``.keras`` file's ``metadata.json`` (``None`` for ``.weights.h5``).

    Raises:
        ValueError: for a name ending in something else.
        UnsafeModelError: for a malformed or crafted file.

    Example:
        >>> import os, tempfile, numpy as np, fitorch
        >>> from fitorch import layers
        >>> model = fitorch.Sequential([layers.Input(shape=(3,)), layers.Dense(2), layers.Dense(1)])
        >>> path = os.path.join(tempfile.mkdtemp(), "model.weights.h5")
        >>> model.save_weights(path)
        >>> editor = KerasFileEditor(path)  # doctest: +ELLIPSIS
        Keras model file '...model.weights.h5'
        >>> editor.summary()
        Weights structure
          > layers
              ├─ dense ('dense...')
              │   ├─ 0: shape=(3, 2), dtype=float32
              │   └─ 1: shape=(2,), dtype=float32
              └─ dense_1 ('dense...')
                  ├─ 0: shape=(2, 1), dtype=float32
                  └─ 1: shape=(1,), dtype=float32
        >>> editor.add_weights("dense_1", {"1": np.array([5.0], "float32")})
        >>> editor.save(path)
        >>> model.load_weights(path)
        >>> model.layers[1].get_weights()[1]
        array([5.], dtype=float32)
    """

    def __init__(self, filepath: str | os.PathLike[str]) -> None:
        path = os.fspath(filepath)
        if not isinstance(path, str):
            raise TypeError(f"KerasFileEditor: filepath must be a str or os.PathLike; received {filepath!r}.")
        self.filepath = path
        self.config: Any = None
        self.metadata: Any = None
        what = repr(path)
        if path.endswith(".keras"):
            members = archive.read_archive(
                path, KERAS_MEMBERS, required=("config.json", "metadata.json", KERAS_WEIGHTS)
            )
            self.config = safe_json.loads(members["config.json"], f"{what}: config.json")
            self.metadata = safe_json.loads(
                members["metadata.json"], f"{what}: metadata.json", limits.MAX_METADATA_BYTES
            )
            data = members[KERAS_WEIGHTS]
            source: Any = io.BytesIO(bytes(data))
            size = len(data)
        elif path.endswith(".weights.h5"):
            source, size = path, os.path.getsize(path)
        else:
            raise ValueError(
                f"Invalid filename: expected a `.keras` `.weights.h5` extension. Received: filepath={path}"
            )
        self.object_metadata: dict[str, dict[str, str]] = {}
        with H5Reader(source, size, what) as reader, refusing_malformed(what):
            self.weights_dict: Tree = _read_object(reader, reader.root, "", self.object_metadata, 0)
        print(f"Keras model file '{path}'")
        if isinstance(self.metadata, dict):
            version = self.metadata.get("keras_version", "(unknown)")
            print(f"Saved with Keras {version} - date: {self.metadata.get('date_saved', '(unknown)')}")

    # ------------------------------------------------------------------ inspecting
    def summary(self) -> None:
        """Prints the weight structure of the opened file: every object, and each variable's shape and dtype."""
        print("Weights structure")
        lines: list[str] = []
        self._structure(self.weights_dict, "", "  ", [True], lines)
        for line in lines:
            print(line)

    def _structure(self, tree: Tree, path: str, prefix: str, first: list[bool], lines: list[str]) -> None:
        for index, (key, value) in enumerate(tree.items()):
            last = index == len(tree) - 1
            connector = "> " if first[0] else "└─ " if last else "├─ "
            first[0] = False
            inner = f"{path}/{key}"
            if isinstance(value, dict):
                name = self.object_metadata.get(inner, {}).get("name")
                lines.append(f"{prefix}{connector}{key}" + (f" ('{name}')" if name is not None else ""))
                self._structure(value, inner, prefix + ("    " if last else "│   "), first, lines)
            else:
                lines.append(f"{prefix}{connector}{key}: shape={value.shape}, dtype={value.dtype}")

    def compare(self, reference_model: nn.Module) -> dict[str, Any]:
        """Lists every difference between the opened file and the weights ``reference_model`` would save.

        Args:
            reference_model: a functional or ``Sequential`` fitorch model.

        Returns:
            ``{"status": "success" or "error", "error_count": int, "match_count": int}``:
            the number of mismatches (an object or weight on one side only, or a
            shape that differs) and of weights whose shapes match.

        Example:
            >>> import os, tempfile, fitorch
            >>> from fitorch import layers
            >>> model = fitorch.Sequential([layers.Input(shape=(3,)), layers.Dense(2)])
            >>> path = os.path.join(tempfile.mkdtemp(), "model.weights.h5")
            >>> model.save_weights(path)
            >>> editor = KerasFileEditor(path)  # doctest: +ELLIPSIS
            Keras model file ...
            >>> editor.compare(model)
            Running comparison
            ─────────────────────
            Comparison successful: saved file is compatible with the reference model
                Found 2 matching weights
            {'status': 'success', 'error_count': 0, 'match_count': 2}
        """
        print("Running comparison")
        reference = _shape_tree(reference_model)
        counts = {"error": 0, "match": 0}
        checked: set[str] = set()

        def walk(target: Tree, ref: Tree, path: str, target_name: str, ref_name: str, count_matches: bool) -> None:
            for key, value in ref.items():
                inner = f"{path}/{key}"
                if inner in checked:
                    continue
                found = target.get(key)
                if found is None or isinstance(found, dict) != isinstance(value, dict):
                    counts["error"] += 1
                    checked.add(inner)
                    if isinstance(value, dict):
                        print(f"...Object {inner} present in {ref_name}, missing from {target_name}")
                        print(f"    In {ref_name}, {inner} contains the following keys: {list(value)}")
                    else:
                        print(f"...Weight {inner} present in {ref_name}, missing from {target_name}")
                elif isinstance(value, dict):
                    walk(found, value, inner, target_name, ref_name, count_matches)
                elif found.shape != value.shape:
                    counts["error"] += 1
                    checked.add(inner)
                    print(f"...Weight shape mismatch for {inner}\n    In {ref_name}: shape={value.shape}\n"
                          f"    In {target_name}: shape={found.shape}")  # fmt: skip
                elif count_matches:
                    counts["match"] += 1

        walk(self.weights_dict, reference, "", "saved file", "reference model", True)
        walk(reference, self.weights_dict, "", "reference model", "saved file", False)
        errors, matches = counts["error"], counts["match"]
        print("─────────────────────")
        if errors == 0:
            print("Comparison successful: saved file is compatible with the reference model")
            print(f"    Found {_plural(matches, 'matching weight')}")
        else:
            print(f"Found {_plural(errors, 'error')}: saved file is not compatible with the reference model")
        return {"status": "success" if errors == 0 else "error", "error_count": errors, "match_count": matches}

    # ------------------------------------------------------------------ editing
    def _locate(self, name: str, argument: str) -> tuple[Tree, str, str]:
        """``(parent dict, key, "/full/path")`` of the object or weight ``name`` names (a path, or a unique name)."""
        if not isinstance(name, str) or not name:
            raise ValueError(
                f"Argument `{argument}` must be a name or a path such as 'layers/dense'; received {name!r}."
            )
        if "/" in name:
            parts = name.strip("/").split("/")
            parent = self.weights_dict
            for part in parts[:-1]:
                parent = parent.get(part)
                if not isinstance(parent, dict):
                    raise ValueError(f"Path '{name}' not found in model.")
            if parts[-1] not in parent:
                raise ValueError(f"Path '{name}' not found in model.")
            return parent, parts[-1], "/" + "/".join(parts)
        found: list[tuple[Tree, str]] = []

        def search(tree: Tree, path: str) -> None:
            for key, value in tree.items():
                if key == name:
                    found.append((tree, f"{path}/{key}"))
                if isinstance(value, dict):
                    search(value, f"{path}/{key}")

        search(self.weights_dict, "")
        if not found:
            raise ValueError(
                f"Source name '{name}' does not appear in the model. Use `editor.summary()` to list all objects."
            )
        if len(found) > 1:
            paths = ", ".join(repr(p.lstrip("/")) for _, p in found[:5])
            raise ValueError(
                f"Name '{name}' occurs more than once in the model ({paths}{', ...' if len(found) > 5 else ''}); "
                "try passing a complete path"
            )
        (parent, path), key = found[0], name
        return parent, key, path

    def _object(self, name: str, argument: str) -> tuple[Tree, str]:
        parent, key, path = self._locate(name, argument)
        if not isinstance(parent[key], dict):
            raise ValueError(f"Argument `{argument}`: '{name}' is a weight, not an object.")
        return parent[key], path

    def _move_metadata(self, path: str, new_path: str | None) -> None:
        """Keeps ``object_metadata`` on the objects it describes: moved with a rename, dropped with a delete."""
        for key in [k for k in self.object_metadata if k == path or k.startswith(path + "/")]:
            entry = self.object_metadata.pop(key)
            if new_path is not None:
                self.object_metadata[new_path + key[len(path) :]] = entry

    def rename_object(self, object_name: str, new_name: str) -> None:
        """Renames an object of the file (e.g. a layer), keeping its place.

        Args:
            object_name: the name or path of the object (``"dense_2"`` or ``"layers/dense_2"``).
            new_name: its new name (a name, not a path).
        """
        if not isinstance(new_name, str) or not new_name or "/" in new_name:
            raise ValueError(
                f"Argument `new_name` should be a leaf name, not a full path name. Received: new_name={new_name!r}"
            )
        parent, key, path = self._locate(object_name, "object_name")
        if new_name != key and new_name in parent:
            raise ValueError(
                f"Cannot rename '{object_name}' to '{new_name}': '{path.rsplit('/', 1)[0]}/{new_name}' already exists. "
                "Delete it first with delete_object()."
            )
        items = [(new_name if k == key else k, v) for k, v in parent.items()]
        parent.clear()
        parent.update(items)
        self._move_metadata(path, f"{path.rsplit('/', 1)[0]}/{new_name}")

    def delete_object(self, object_name: str) -> None:
        """Removes an object from the file (e.g. a layer) with all its weights.

        Args:
            object_name: the name or path of the object (``"dense_2"`` or ``"layers/dense_2"``).
        """
        parent, key, path = self._locate(object_name, "object_name")
        del parent[key]
        self._move_metadata(path, None)

    def add_object(self, object_path: str, weights: Mapping[str, Any]) -> None:
        """Adds a new object to the file (e.g. a layer).

        Args:
            object_path: the full path of the new object (``"layers/dense_2"``); the
                objects above it must exist.
            weights: ``{weight name: array}``, e.g. ``{"0": kernel, "1": bias}``
                (NumPy arrays or tensors; a dict value adds a sub-object).
        """
        tree = _as_tree(weights, "weights")
        if not isinstance(object_path, str) or not object_path.strip("/"):
            raise ValueError(
                f"Argument `object_path` must be a path such as 'layers/dense_2'; received {object_path!r}."
            )
        *parents, leaf = object_path.strip("/").split("/")
        parent = self.weights_dict
        for part in parents:
            parent = parent.get(part)
            if not isinstance(parent, dict):
                raise ValueError(f"Path '{'/'.join(parents)}' not found in model.")
        if leaf in parent:
            raise ValueError(
                f"'{object_path}' already exists. Use add_weights() to add or replace its weights, or "
                "delete_object() first."
            )
        parent[leaf] = tree

    def delete_weight(self, object_name: str, weight_name: str) -> None:
        """Removes one weight from an existing object.

        Args:
            object_name: the name or path of the object (``"dense_2"`` or ``"layers/dense_2"``).
            weight_name: the weight to delete (e.g. ``"0"``).
        """
        tree, _ = self._object(object_name, "object_name")
        if weight_name not in tree:
            raise ValueError(f"Weight {weight_name} not found in object {object_name}. Weights found: {list(tree)}")
        del tree[weight_name]

    def add_weights(self, object_name: str, weights: Mapping[str, Any]) -> None:
        """Adds weights to an existing object; a weight of the same name is replaced.

        Args:
            object_name: the name or path of the object (``"dense_2"`` or ``"layers/dense_2"``).
            weights: ``{weight name: array}``, e.g. ``{"0": kernel, "1": bias}``.
        """
        new = _as_tree(weights, "weights")
        tree, _ = self._object(object_name, "object_name")
        tree.update(new)

    # ------------------------------------------------------------------ saving
    def save(self, filepath: str | os.PathLike[str]) -> None:
        """Writes the edited weights as a ``.weights.h5`` file (atomically; an existing file is replaced).

        Args:
            filepath: the target; must end in ``.weights.h5``.
        """
        from fitorch.saving.atomic import atomic_write_bytes
        from fitorch.saving.keras_export import _check_suffix, _h5_bytes

        path = _check_suffix(filepath, (".weights.h5",), "KerasFileEditor.save")
        atomic_write_bytes(path, _h5_bytes(lambda handle: self._write(handle, self.weights_dict, "")))

    def resave_weights(self, filepath: str | os.PathLike[str]) -> None:
        """The same as :meth:`save`."""
        self.save(filepath)

    def _write(self, handle: Any, tree: Tree, path: str) -> None:
        """Each object's arrays into ``<path>/vars/<name>`` (as Keras lays them out), sub-objects below."""
        arrays = {k: v for k, v in tree.items() if not isinstance(v, dict)}
        for key, value in tree.items():
            if isinstance(value, dict) and value:
                self._write(handle, value, f"{path}/{key}")
        name = self.object_metadata.get(path, {}).get("name")
        if arrays or name is not None:
            variables = handle.create_group(f"{path}/vars".lstrip("/"))
            if name is not None:
                variables.attrs["name"] = name
            for key, array in arrays.items():
                variables.create_dataset(key, data=np.asarray(array))


__all__ = ["KerasFileEditor"]
