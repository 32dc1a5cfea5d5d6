"""The demo accounts of the embedded default (`make run`): an administrator, a portfolio manager,
a lead for each community and a few members, all under the demo domain, with fictional names that
read the same in English and French. `create_demo_accounts` returns the passwords of the accounts
it creates, which `manage.py load_cssp --demo-accounts` prints once."""

import secrets
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db import transaction

from communities.models import Community, Membership
from communities.services import membership_add_active, portfolio_managers_group
from members.models import User

DEMO_DOMAIN = "demo.cssp-cop.example.ca"


# Fictional names that read the same in English and French, never a role ("Lead Chemical"):
# the leads in the communities' slug order, then the administrator and the portfolio manager.
DEMO_LEAD_NAMES = [
    ("Claude", "Bélanger"),
    ("Jordan", "Lavoie"),
    ("Maxime", "Côté"),
    ("Eden", "Nguyen"),
    ("Alexis", "Fortin"),
    ("Charlie", "Pelletier"),
    ("Ariel", "Bergeron"),
    ("Kim", "Desjardins"),
    ("Robin", "Okafor"),
    ("Laurence", "Martel"),
    ("Jessie", "Kowalski"),
]
DEMO_ADMIN_NAME = ("Alex", "Lambert")
DEMO_PM_NAME = ("Pat", "Gauthier")


@dataclass
class DemoAccount:
    email: str
    password: str
    description: str


def _demo_user(
    email: str, first: str, last: str, language: str, *, renamed_from=None, **extra
) -> tuple[User, str | None]:
    user = User.objects.filter(email=email).first()
    if user is not None:
        # A database seeded before the demo accounts had names ("Lead Chemical") gets them.
        if renamed_from and (user.first_name, user.last_name) == renamed_from:
            user.first_name, user.last_name = first, last
            user.save(update_fields=["first_name", "last_name", "updated_at"])
        return user, None
    password = secrets.token_urlsafe(12)
    user = User.objects.create_user(
        email=email,
        password=password,
        first_name=first,
        last_name=last,
        preferred_language=language,
        **extra,
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user, password


@transaction.atomic
def create_demo_accounts() -> list[DemoAccount]:
    """An administrator, a portfolio manager, a lead for each CoP and a few members. Returns
    the accounts created by this call with their passwords (existing ones are left alone)."""
    created: list[DemoAccount] = []

    def remember(user, password, description):
        if password:
            created.append(DemoAccount(user.email, password, description))

    admin, password = _demo_user(
        f"admin@{DEMO_DOMAIN}",
        *DEMO_ADMIN_NAME,
        "en",
        renamed_from=("Alex", "Admin"),
        is_staff=True,
        is_superuser=True,
    )
    remember(admin, password, "administrator (Django admin)")

    pm, password = _demo_user(
        f"pm@{DEMO_DOMAIN}", *DEMO_PM_NAME, "fr", renamed_from=("Pat", "Gestionnaire")
    )
    if password:
        pm.groups.add(portfolio_managers_group())
    remember(pm, password, "portfolio manager, all communities")

    communities = list(Community.objects.top_level().order_by("slug"))
    for index, community in enumerate(communities):
        if password:
            community.portfolio_managers.add(pm)
        lead, lead_password = _demo_user(
            f"lead.{community.slug}@{DEMO_DOMAIN}",
            *DEMO_LEAD_NAMES[index % len(DEMO_LEAD_NAMES)],
            "en",
            renamed_from=("Lead", community.name_en),
        )
        if lead_password:
            membership_add_active(
                community=community, user=lead, role=Membership.Role.LEAD, notify=False
            )
        remember(lead, lead_password, f"lead of {community.name_en}")

    for index, (first, last, language) in enumerate(
        [("Morgan", "Tremblay", "fr"), ("Sam", "Singh", "en"), ("Camille", "Roy", "fr")]
    ):
        member, member_password = _demo_user(
            f"member{index + 1}@{DEMO_DOMAIN}", first, last, language
        )
        if member_password:
            for community in communities[index::3][:3]:
                membership_add_active(community=community, user=member, notify=False)
        remember(member, member_password, "member of a few communities")
    return created
