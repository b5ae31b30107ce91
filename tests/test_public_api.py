"""The public API is deliberate: every exported name is listed in tests/public_api.txt.

Adding or removing a public name means updating that file in the same change
(`python tests/test_public_api.py` rewrites it).
"""

import importlib
import pathlib
import sys

SNAPSHOT = pathlib.Path(__file__).with_name("public_api.txt")
PACKAGES = ["fitorch", "fitorch.layers", "fitorch.losses", "fitorch.metrics", "fitorch.optimizers",
            "fitorch.optimizers.schedules", "fitorch.callbacks", "fitorch.initializers", "fitorch.regularizers",
            "fitorch.constraints", "fitorch.saving", "fitorch.export", "fitorch.utils", "fitorch.utils.bounding_boxes",
            "fitorch.distributed", "fitorch.backend",
            "fitorch.models", "fitorch.random", "fitorch.ops", "fitorch.tree"]


def current_api() -> list[str]:
    names = []
    for package in PACKAGES:
        module = importlib.import_module(package)
        exported = getattr(module, "__all__", None)
        assert exported is not None, f"{package} has no __all__"
        for name in exported:
            assert hasattr(module, name), f"{package}.__all__ lists {name!r}, which does not exist"
        names.extend(f"{package}.{name}" for name in sorted(exported))
    return names


def test_public_api_matches_the_snapshot():
    assert current_api() == SNAPSHOT.read_text().split()


if __name__ == "__main__":
    sys.path.insert(0, str(SNAPSHOT.parent.parent))
    SNAPSHOT.write_text("\n".join(current_api()) + "\n")
