"""environment.yml (conda, Binder) lists exactly what pyproject.toml lists."""

from __future__ import annotations

import re
import tomllib

import yaml

from .conftest import ROOT


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _split(spec: str) -> tuple[str, str]:
    m = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", spec)
    assert m, spec
    return _norm(m.group(1)), m.group(2).strip()


def pyproject_requirements() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    specs = list(project["dependencies"])
    for group in project["optional-dependencies"].values():
        specs += group
    return dict(_split(s) for s in specs)


def environment_requirements() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    out = {}
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            for spec in dep["pip"]:
                name, version = _split(spec)
                out[name] = version
            continue
        name, version = _split(dep)
        if name in ("python", "pip"):
            continue
        # conda writes "=1.2.3" where pip writes "==1.2.3"
        out[name] = "==" + version[1:] if re.fullmatch(r"=[^=].*", version) else version
    return out


def test_environment_yml_and_pyproject_list_the_same_packages_and_versions():
    assert environment_requirements() == pyproject_requirements()


def test_environment_uses_conda_forge_and_python_311():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert env["channels"] == ["conda-forge"]
    assert "python=3.11" in env["dependencies"]


def test_packages_that_shape_the_outputs_are_pinned_exactly():
    reqs = pyproject_requirements()
    for name in ("pandas", "numpy", "plotly", "nbformat", "papermill", "nbval"):
        assert reqs[name].startswith("=="), name


def test_constraints_agree_with_pyproject_pins():
    pins = dict(_split(line) for line in (ROOT / "constraints.txt").read_text().splitlines()
                if line.strip() and not line.startswith("#"))
    for name, spec in pyproject_requirements().items():
        if spec.startswith("=="):
            assert pins.get(name) == spec, name


def test_postbuild_installs_the_package():
    assert "pip install --no-deps -e ." in (ROOT / "postBuild").read_text()


def test_constraints_are_not_stale():
    """constraints.txt records a digest of pyproject.toml's dependency lists; `make lock`
    regenerates both together, so an edited pyproject.toml without a new lock fails here."""
    from tools import lock

    assert lock.recorded_digest() == lock.inputs_digest(), (
        "constraints.txt is stale: pyproject.toml changed since `make lock`")


def test_the_stale_check_can_fail(tmp_path):
    from tools import lock

    edited = tmp_path / "pyproject.toml"
    edited.write_text((ROOT / "pyproject.toml").read_text().replace(
        '"plotly==7.1.0"', '"plotly==7.2.0"'))
    assert lock.inputs_digest(edited) != lock.recorded_digest()


def test_the_environment_has_the_locked_versions():
    """What `make setup` installed is exactly what constraints.txt pins."""
    from importlib import metadata

    from tools import lock

    pins = lock.pins()
    wrong = {}
    for dist in metadata.distributions():
        name = lock.normalise(dist.metadata["Name"])
        if name in pins and pins[name] != dist.version:
            wrong[name] = (pins[name], dist.version)
    assert not wrong, f"installed versions differ from constraints.txt: {wrong}"


def test_make_lets_python_keep_compiled_modules():
    """Where the machine sets PYTHONDONTWRITEBYTECODE, every kernel and test process would
    compile pandas and plotly from source again (about 4x slower to import); the Makefile's
    commands run with Python writing its compiled modules."""
    import os
    import subprocess

    probe = "probe:\n\t@python3 -c 'import sys; print(sys.flags.dont_write_bytecode)'\n"
    run = subprocess.run(["make", "--no-print-directory", "-s", "-f", "Makefile", "-f", "-",
                          "probe"], input=probe, cwd=ROOT, capture_output=True, text=True,
                         env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"), timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "0", run.stdout
