"""The demo accounts carry believable fictional names (issue #19), not "Lead Chemical"."""

import pytest
from django.urls import reverse
from django.utils import translation

from communities.models import Community, Membership
from members.models import User
from portal.seed.cssp import load_cssp
from portal.seed.demo import DEMO_DOMAIN, create_demo_accounts

pytestmark = pytest.mark.django_db


def _leads():
    return {
        m.community.slug: m.user
        for m in Membership.objects.filter(role=Membership.Role.LEAD).select_related(
            "community", "user"
        )
    }


def test_demo_leads_have_peoples_names_shown_on_their_community_page(client):
    # One load for both checks: the seed takes seconds.
    load_cssp()
    create_demo_accounts()

    leads = _leads()
    assert len(leads) == 11
    assert leads["chemical"].email == f"lead.chemical@{DEMO_DOMAIN}", "the README's address"
    names = {lead.get_full_name() for lead in leads.values()}
    assert len(names) == 11, "each lead is a different person"
    community_names = set(Community.objects.values_list("name_en", flat=True))
    for lead in leads.values():
        assert lead.first_name != "Lead" and lead.last_name not in community_names
    accounts = User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}")
    shown = {user.get_full_name() for user in accounts}
    assert not shown & {"Alex Admin", "Pat Gestionnaire"}

    with translation.override("fr"):
        url = reverse("communities:detail", kwargs={"slug": "chemical"})
    page = client.get(url).content.decode()

    assert leads["chemical"].get_full_name() in page
    assert "Lead Chemical" not in page


def test_an_older_database_gets_the_names_on_the_next_run():
    load_cssp()
    create_demo_accounts()
    old = User.objects.get(email=f"lead.chemical@{DEMO_DOMAIN}")
    User.objects.filter(pk=old.pk).update(first_name="Lead", last_name="Chemical")
    kept = User.objects.get(email=f"member1@{DEMO_DOMAIN}")
    User.objects.filter(pk=kept.pk).update(first_name="Chosen", last_name="By Them")

    assert create_demo_accounts() == []

    old.refresh_from_db()
    kept.refresh_from_db()
    assert old.get_full_name() not in ("Lead Chemical", "")
    assert old.first_name != "Lead"
    assert kept.get_full_name() == "Chosen By Them", "a name someone chose is left alone"
