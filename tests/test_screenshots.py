"""`make screenshots` exists and the README shows every picture it takes (no browser here).

The pictures themselves are taken in tests/e2e/test_screenshots.py.
"""

import re
import subprocess
from pathlib import Path

from scripts.screenshots import SHOTS

ROOT = Path(__file__).resolve().parent.parent


def test_make_screenshots_runs_the_script_in_the_virtualenv():
    result = subprocess.run(
        ["make", "-n", "screenshots"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert re.search(r"\.venv/bin/python scripts/screenshots\.py$", result.stdout, re.M), (
        result.stdout
    )
    phony = re.search(r"^\.PHONY:(.*)$", (ROOT / "Makefile").read_text(), re.M)
    assert phony and "screenshots" in phony.group(1).split()


def test_the_readme_shows_every_screenshot_with_its_alt_text_under_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    commands = readme.index("```\nmake run\nmake test\n```")
    after = readme[commands:]
    for name, alt in SHOTS.items():
        assert f"![{alt}](docs/screenshots/{name})" in after, name
        assert (ROOT / "docs" / "screenshots" / name).is_file(), f"{name} is not committed"
    # Every image the README shows from docs/screenshots/ is one the script writes.
    shown = re.findall(r"!\[[^\]]+\]\(docs/screenshots/([^)]+)\)", readme)
    assert sorted(shown) == sorted(SHOTS)
    assert "make screenshots" in readme
