from django.conf import settings
from django.core.management.base import BaseCommand

from portal.seed.cssp import load_cssp
from portal.seed.demo import create_demo_accounts, create_demo_content


class Command(BaseCommand):
    help = (
        "Load the CSSP communities of practice, organizations, funded projects, the CCRS "
        "roundtable and the 2022 call, in English and French. Safe to run again: existing "
        "records are never changed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--demo-accounts",
            action="store_true",
            help="Also create demo accounts and fictional demo content (embedded SQLite "
            "default only) and print the accounts' passwords once.",
        )

    def handle(self, *args, demo_accounts=False, **options):
        report = load_cssp()
        created = ", ".join(f"{n} {kind}" for kind, n in report.created.items()) or "nothing new"
        self.stdout.write(f"CSSP data: created {created}.")
        if report.existing:
            kept = ", ".join(f"{n} {kind}" for kind, n in report.existing.items())
            self.stdout.write(f"Already present and left as curated: {kept}.")
        if not demo_accounts:
            return
        if not settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
            self.stdout.write(
                "Demo accounts and content are created only on the embedded SQLite default; "
                "skipped."
            )
            return
        accounts = create_demo_accounts()
        content = create_demo_content()
        made = ", ".join(f"{n} {kind}" for kind, n in content.created.items()) or "nothing new"
        self.stdout.write(f"Demo content (fictional): created {made}.")
        if not accounts:
            self.stdout.write(
                "Demo accounts exist already (their passwords were printed when "
                "they were created; reset one with: manage.py changepassword EMAIL)."
            )
            return
        width = max(len(a.email) for a in accounts)
        self.stdout.write(self.style.WARNING("Demo accounts (shown once, keep them):"))
        for account in accounts:
            self.stdout.write(
                f"  {account.email:<{width}}  {account.password}  {account.description}"
            )
