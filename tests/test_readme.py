"""README.md stays true: its set-up commands match CI and its Python examples run."""

import pathlib
import re
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
# Pages with examples; reference tables (e.g. docs/keras_compatibility.md) have none to run.
DOCS = [p for p in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))] if "```python" in p.read_text()]


def python_blocks(path):
    return re.findall(r"```python\n(.*?)```", path.read_text(), flags=re.S)


def test_readme_and_guides_have_examples():
    names = {p.name for p in DOCS}
    assert {"README.md", "models.md", "training.md", "devices.md"} <= names


def test_readme_test_command_is_what_ci_runs():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text().strip().splitlines()[-1]
    assert ci in readme
    assert "pip install torch==2.13.0" in ci and "python -m pytest -q" in ci
    assert "python -m fitorch.demo" in readme


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_documented_examples_run(path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    blocks = python_blocks(path)
    assert blocks, f"{path.name} has no python examples"
    namespace: dict = {"__name__": "__docs__"}
    for block in blocks:
        exec(compile(block, str(path), "exec"), namespace)  # the project's own documentation


def test_ruff_is_clean():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "fitorch", "tests"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
