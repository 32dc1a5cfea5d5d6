import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

from communities.models import Community, CommunityOrganization, Membership, Organization
from events.models import Event
from portal.seed.cssp import load_cssp, read_data
from portal.seed.demo import create_demo_accounts
from proposals.models import Call, Project, ProjectOrganization

pytestmark = pytest.mark.django_db
# The public CSSP texts the data file was built from (copied from shared/seeds).
SEEDS = Path(__file__).resolve().parents[2] / "portal" / "seed" / "sources"
DATA = read_data()


def _seed_text() -> str:
    texts = sorted(SEEDS.glob("*.txt"))
    assert len(texts) == 4, f"the four CSSP source texts are expected in {SEEDS}"
    return "\n".join(p.read_text(encoding="utf-8") for p in texts)


def test_loads_the_eleven_cssp_communities_in_both_languages():
    load_cssp()

    top_level = Community.objects.top_level()
    assert top_level.count() == 11
    chemical = Community.objects.get(slug="chemical")
    assert chemical.name_en == "Chemical"
    assert chemical.name_fr and chemical.name_fr != chemical.name_en
    assert chemical.objectives.count() == 6
    with translation.override("fr"):
        assert Community.objects.get(slug="chemical").name == chemical.name_fr


def test_chemical_cop_is_co_led_by_environment_and_transport_as_the_seed_says():
    load_cssp()

    leads = CommunityOrganization.objects.filter(
        community__slug="chemical", role=CommunityOrganization.Role.CO_LEAD
    ).values_list("organization__former_names_en", "organization__name_en")
    names = {former or name for former, name in leads}
    assert names == {"Environment Canada", "Transport Canada"}


def test_every_organization_name_in_the_seeds_resolves_to_one_organization():
    text = _seed_text()
    load_cssp()

    for org in DATA["organizations"]:
        for name in org["seed_names"]:
            assert name in text, f"{name!r} is not in the seed texts"
        assert Organization.objects.filter(slug=org["key"]).exists()
    assert Organization.objects.count() == len(DATA["organizations"])
    # Spot checks of bodies named in different seeds.
    for name in [
        "Royal Canadian Mounted Police",
        "Interdev Technologies",
        "County of Renfrew",
        "Sureté du Quebec",
        "SHERPA",
        "Canadian Association of Fire Chiefs",
    ]:
        assert any(
            name in seed_name for org in DATA["organizations"] for seed_name in org["seed_names"]
        )


def test_loads_the_three_funded_projects_with_their_leads_and_partners():
    load_cssp()

    assert Project.objects.count() == 3
    vessel = Project.objects.get(year=2021)
    leads = set(
        vessel.organization_links.filter(role=ProjectOrganization.Role.LEAD).values_list(
            "organization__name_en", flat=True
        )
    )
    assert leads == {"Health Canada", "DND Director Nuclear Safety"}
    assert vessel.organization_links.filter(role=ProjectOrganization.Role.PARTNER).count() == 8
    assert (
        Project.objects.get(year=2020)
        .organization_links.filter(organization__name_en__icontains="Interdev")
        .exists()
    )


def test_loads_the_ccrs_roundtable_as_a_past_event_with_its_outcomes():
    load_cssp()

    event = Event.objects.get(start__year=2018)
    assert event.status == Event.Status.COMPLETED
    assert event.start.astimezone(event.zone).date().isoformat() == "2018-02-23"
    assert event.end.astimezone(event.zone).date().isoformat() == "2018-02-25"
    assert "Montr" in event.city
    assert event.outcome.summary_fr and event.outcome.key_takeaways_en
    assert (
        "human trafficking"
        in event.outcome.key_takeaways_en.lower() + event.outcome.summary_en.lower()
    )


def test_loads_the_2022_call_for_proposals():
    load_cssp()

    call = Call.objects.get(year=2022)
    assert call.title_fr and call.communities.count() == 11


def test_running_the_loader_twice_changes_nothing():
    load_cssp()
    before = {
        model: model.objects.count()
        for model in (Organization, Community, Project, Event, Call, CommunityOrganization)
    }

    report = load_cssp()

    assert report.created == {}
    assert before == {model: model.objects.count() for model in before}


def test_the_loader_never_overwrites_what_curators_edited():
    load_cssp()
    Community.objects.filter(slug="chemical").update(summary_en="Curated summary")
    CommunityOrganization.objects.filter(
        community__slug="chemical", role=CommunityOrganization.Role.MEMBER
    ).first().delete()
    links = CommunityOrganization.objects.filter(community__slug="chemical").count()

    load_cssp()

    assert Community.objects.get(slug="chemical").summary_en == "Curated summary"
    assert CommunityOrganization.objects.filter(community__slug="chemical").count() == links


def test_french_content_is_complete_for_every_community():
    load_cssp()

    for community in Community.objects.prefetch_related("objectives"):
        assert community.name_fr and community.summary_fr, community.slug
        assert all(objective.text_fr for objective in community.objectives.all()), community.slug


def test_demo_accounts_give_each_cop_a_lead_and_are_created_once():
    load_cssp()

    accounts = create_demo_accounts()

    assert len({a.email for a in accounts}) == len(accounts) >= 14
    assert (
        Membership.objects.filter(role=Membership.Role.LEAD, state=Membership.State.ACTIVE).count()
        == 11
    )
    assert create_demo_accounts() == []


def test_the_command_skips_demo_accounts_outside_the_embedded_default(capsys):
    call_command("load_cssp", "--demo-accounts")

    out = capsys.readouterr().out
    assert "created" in out and "only on the embedded SQLite default" in out
    assert Community.objects.count() == 14


def test_the_data_file_is_valid_json_with_every_section():
    with open(
        Path(__file__).resolve().parents[2] / "portal" / "seed" / "cssp.json", encoding="utf-8"
    ) as handle:
        data = json.load(handle)
    assert {"organizations", "communities", "projects", "events", "calls", "gaps"} <= set(data)
