"""Static security checks of the code itself."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = [
    "cssp_portal",
    "members",
    "communities",
    "events",
    "proposals",
    "knowledge",
    "notifications",
]


def test_bandit_finds_no_high_severity_issue():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bandit",
            "--recursive",
            "--severity-level",
            "high",
            "--format",
            "json",
            "--quiet",
            "--exclude",
            "*/migrations/*",
            *APPS,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(result.stdout)
    findings = [
        f"{item['filename']}:{item['line_number']} {item['test_id']} {item['issue_text']}"
        for item in report["results"]
    ]

    assert report["errors"] == []
    assert findings == []
    assert report["metrics"]["_totals"]["loc"] > 1000  # it did read the project
