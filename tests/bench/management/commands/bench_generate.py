"""Generate a program-scale data set for the load benchmark (make bench).

The CSSP's own data first (`load_cssp`: 11 communities, their working groups, organizations,
projects, the 2022 call), then generated bilingual communities up to --communities, members with
their memberships, permission groups and expertise, events with registrations and reminders,
calls, gaps and proposals, discussions with their messages and library folders, with a progress
bar.

Every count is a target, not an increment: the command creates only what is missing, so running
it again with the same targets creates nothing, and running it with larger targets grows the same
data set (the benchmark measures queries per page at a small size, then grows it to the full one).
`--reset` empties the database first; it refuses a database whose name does not contain
"bench", so it can never flush a portal's real database.

Rows are written with bulk_create in batches (one precomputed password hash for everyone);
memberships follow the model's constraints (one current row per person and community) and the
permission groups are filled in bulk exactly as `membership_sync_access` would, one row per
active membership in the group of its role.

Each kind of data has its module in tests/bench/generate/ (communities, people, events,
proposals, knowledge) and its steps, `<kind>_generate(data, ...)`, taking the DataSet the steps
share (dataset.py); the words come from vocabulary.py.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from communities.models import Community, Membership
from events.models import Event, Registration
from knowledge.models import Post, Thread
from members.models import User
from portal.seed.cssp import load_cssp
from proposals.models import Proposal
from tests.bench.generate.communities import communities_generate
from tests.bench.generate.dataset import DRAFT_SHARE, DataSet
from tests.bench.generate.events import events_generate
from tests.bench.generate.knowledge import discussions_generate, folders_generate
from tests.bench.generate.people import managers_generate, members_generate
from tests.bench.generate.proposals import calls_and_gaps_generate, proposals_generate


class Command(BaseCommand):
    help = (
        "Generate (or grow to) a program-scale data set for the load benchmark: communities, "
        "members, events with registrations, proposals. Creates only what is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--communities", type=int, default=100)
        parser.add_argument("--members", type=int, default=100_000)
        parser.add_argument("--events", type=int, default=10_000)
        parser.add_argument("--registrations", type=int, default=500_000)
        parser.add_argument("--proposals", type=int, default=5_000)
        parser.add_argument("--managers", type=int, default=20, help="Portfolio managers.")
        parser.add_argument(
            "--threads", type=int, default=4_000, help="Discussions, with 1 to 8 messages each."
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Empty the database first (only a database whose name contains 'bench').",
        )
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, **options):
        name = connection.settings_dict["NAME"]
        if options["reset"]:
            if "bench" not in name:
                raise CommandError(
                    f"Refusing to empty the database {name!r}: --reset only empties a database "
                    "whose name contains 'bench'."
                )
            call_command("flush", interactive=False, verbosity=0)
        now = timezone.now()
        load_cssp()
        data = DataSet(seed=options["seed"], now=now, verbose=options["verbosity"] > 0)

        communities_generate(data, options["communities"])
        managers_generate(data, options["managers"])
        members_generate(data, options["members"])
        # Drafts take no registrations: the others share the target between them.
        per_event = options["registrations"] / max(options["events"] * (1 - DRAFT_SHARE), 1)
        events_generate(data, options["events"], per_event)
        calls_and_gaps_generate(data)
        proposals_generate(data, options["proposals"])
        discussions_generate(data, options["threads"])
        folders_generate(data)
        # Statistics for the planner, and the visibility map a live database's autovacuum
        # keeps: without it, index-only scans of freshly loaded tables read the heap anyway.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        self.stdout.write(
            "Data set: "
            + ", ".join(
                f"{model.objects.count():,} {label}"
                for model, label in [
                    (Community, "communities"),
                    (User, "people"),
                    (Membership, "memberships"),
                    (Event, "events"),
                    (Registration, "registrations"),
                    (Proposal, "proposals"),
                    (Thread, "discussions"),
                    (Post, "messages"),
                ]
            )
            + "."
        )
