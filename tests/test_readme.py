"""README keeps exactly two set-up commands, and CI runs the README's test command."""

import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return [b.strip() for b in re.findall(r"```bash\n(.*?)```", text, flags=re.S)]


def test_readme_has_exactly_two_commands():
    cmds = _commands()
    assert len(cmds) == 2
    assert "streamlit run serve.py" in cmds[0] and "requirements.txt" in cmds[0]
    assert "pytest" in cmds[1]


def test_ci_runs_the_readme_test_command():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert _commands()[1] in ci


def test_every_top_level_folder_is_documented():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    for folder in ("data/", "etl/", "kpis/", "pages/", "tests/", "bench/"):
        assert f"`{folder}" in text, folder
