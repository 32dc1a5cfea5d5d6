"""Load the CSSP program's real data (communities, organizations, projects, the CCRS
roundtable, the 2022 call) from cssp.json, in English and French.

Idempotent and respectful of curators: a record is created, with its links, only when it does
not exist yet (matched by slug); an existing record is never modified, so running the loader
again changes nothing and never undoes an edit made in the admin since.
"""

import json
from pathlib import Path

from django.db import transaction

from consultations.seed import load_ccrs_consultations

from .communities import load_communities
from .events import load_events
from .organizations import load_expertise_areas, load_organizations, load_trusted_domains
from .program import load_calls, load_gaps, load_projects
from .records import LoadReport

DATA_FILE = Path(__file__).parent.parent / "cssp.json"


def read_data(path: Path = DATA_FILE) -> dict:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


@transaction.atomic
def load_cssp(data: dict | None = None) -> LoadReport:
    """Create what is missing of the CSSP data (cssp.json, unless `data` is given) and return what
    was created and what was there already. Each kind of record has its loader beside this one
    (organizations.py, communities.py, program.py, events.py), called in the order of the links
    between them."""
    data = data or read_data()
    report = LoadReport()
    load_expertise_areas(data, report)
    organizations = load_organizations(data, report)
    load_trusted_domains(report, organizations=organizations)
    communities = load_communities(data, report, organizations=organizations)
    gaps = load_gaps(data, report, communities=communities)
    load_calls(data, report, communities=communities, gaps=gaps)
    load_projects(data, report, communities=communities, organizations=organizations, gaps=gaps)
    load_events(data, report, communities=communities, organizations=organizations)
    # The CCRS roundtable's 2018 consultations, closed, with what was heard (consultations app).
    load_ccrs_consultations(report)
    return report
