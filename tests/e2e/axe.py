"""axe-core as the accessibility audits run it (test_accessibility.py, test_reflow.py): the copy
shipped in the axe-playwright-python package, WCAG 2.1 A and AA rules only."""

from axe_playwright_python.sync_playwright import Axe

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": WCAG_TAGS},
    "resultTypes": ["violations"],
}

AXE = Axe()


def _selector(target):
    # axe names an element inside a shadow root as a list: host selector, then inner selector.
    return " >>> ".join(target) if isinstance(target, list) else target


def describe(violation):
    """One line naming the rule, its impact and the first elements it found."""
    targets = "; ".join(
        " ".join(_selector(part) for part in node["target"]) for node in violation["nodes"][:5]
    )
    return f"{violation['id']} ({violation['impact']}, {len(violation['nodes'])}): {targets}"
