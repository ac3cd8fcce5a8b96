"""Settings in .streamlit/config.toml that the app's speed depends on, read as Streamlit
itself reads them (in a fresh process started in the repository, as ``make run`` and the
systemd units start the server)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_READ = """
from streamlit import config
config.get_config_options(force_reparse=True)
print(config.get_option("runner.postScriptGC"))
"""


def test_no_full_garbage_collection_after_every_script_run() -> None:
    """Streamlit's post-run ``gc.collect(2)`` walked ~350,000 objects holding the GIL:
    most of a map rerun's CPU time, and a pause for every other session (issue 13)."""
    done = subprocess.run(
        [sys.executable, "-c", _READ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert done.stdout.strip() == "False"
