"""The demo's people: eight fictional members of the story (nobody signs in as them) with their
communities, and the profiles of everyone in the demo, filled when blank."""

from __future__ import annotations

from communities.models import Membership, Organization
from communities.services import membership_add_active
from members.models import ExpertiseArea, User
from members.services import member_update_profile

from .context import DemoContext, demo_email

# (address, first name, last name, language, organization key, role type, job title en/fr,
#  expertise slugs, community slugs)
PEOPLE = [
    ("riley.gagnon", "Riley", "Gagnon", "fr", "sq", "responder",
     ("Fictional hazmat team leader", "Cheffe fictive d’équipe matières dangereuses"),
     ["chemical-threats", "decontamination"], ["chemical", "fire-services"]),
    ("avery.chen", "Avery", "Chen", "en", "phac", "scientist",
     ("Fictional laboratory scientist", "Scientifique de laboratoire fictive"),
     ["biological-threats", "medical-countermeasures"], ["biological", "chemical"]),
    ("jordan.white-eagle", "Jordan", "White Eagle", "en", "fness", "planner",
     ("Fictional emergency planner", "Planificateur d’urgence fictif"),
     ["emergency-management", "community-resilience"],
     ["natural-hazards", "psychosocial-community-resilience"]),
    ("dominique.roy", "Dominique", "Roy", "fr", "msp-qc", "policy_maker",
     ("Fictional policy advisor", "Conseillère en politiques fictive"),
     ["disaster-risk-reduction", "emergency-management"], ["natural-hazards", "chemical"]),
    ("sasha.mackenzie", "Sasha", "MacKenzie", "en", "halifax-fire", "operator",
     ("Fictional fire captain", "Capitaine fictif de pompiers"),
     ["fire-services", "wildland-fire"], ["fire-services", "chemical", "biological"]),
    ("noor.haddad", "Noor", "Haddad", "en", "sherpa", "scientist",
     ("Fictional researcher", "Chercheuse fictive"),
     ["psychosocial-impacts", "countering-radicalization-to-violence"],
     ["psychosocial-community-resilience", "biological", "e-security"]),
    ("felix.ouellet", "Félix", "Ouellet", "fr", "rcmp", "operator",
     ("Fictional cybercrime investigator", "Enquêteur fictif en cybercriminalité"),
     ["cybercrime", "cyber-security"], ["e-security", "police-law-enforcement", "explosives"]),
    ("maya.lindqvist", "Maya", "Lindqvist", "en", "nrcan", "scientist",
     ("Fictional hazard modeller", "Modélisatrice fictive des aléas"),
     ["natural-hazard-forecasting-modelling", "modelling-simulation-decision-support"],
     ["natural-hazards", "explosives", "biological"]),
]  # fmt: skip

# Profiles of the demo accounts created by create_demo_accounts, filled when blank.
ACCOUNT_PROFILES = {
    "pm": ("css", "policy_maker",
           ("Fictional portfolio manager", "Gestionnaire de portefeuille fictif")),
    "member1": ("nrcan", "planner",
                ("Fictional emergency management officer",
                 "Agente fictive de gestion des urgences")),
    "member2": ("hc", "scientist", ("Fictional toxicologist", "Toxicologue fictif")),
    "member3": ("opp", "responder",
                ("Fictional tactical paramedic", "Paramédic tactique fictive")),
}  # fmt: skip


def _bio(first: str, title: tuple[str, str]) -> tuple[str, str]:
    return (
        f"[Demo] {first} is a fictional person ({title[0].lower()}) invented to show the "
        "portal. Any resemblance to a real person is coincidental.",
        f"[Démo] {first} est une personne fictive ({title[1].lower()}) inventée pour montrer "
        "le portail. Toute ressemblance avec une personne réelle est une coïncidence.",
    )


def _phone(n: int) -> str:
    # 555-01xx numbers are reserved for fiction in North America.
    return f"613-555-01{n:02d}"


def create_demo_people(demo: DemoContext) -> None:
    for index, (local, first, last, language, _o, _r, _t, _e, slugs) in enumerate(PEOPLE):
        user = demo.user(local)
        if user is None:
            user = User.objects.create_user(
                email=demo_email(local),
                password=None,  # people of the story: nobody signs in as them
                first_name=first,
                last_name=last,
                preferred_language=language,
            )
            demo.report.add("people")
        for slug in slugs:
            community = demo.communities.get(slug)
            current = Membership.objects.filter(
                community=community, user=user, state__in=Membership.CURRENT_STATES
            )
            if community is not None and not current.exists():
                role = Membership.Role.CO_LEAD if index == 0 else Membership.Role.MEMBER
                membership_add_active(community=community, user=user, role=role, notify=False)


def create_demo_profiles(demo: DemoContext) -> None:
    organizations = {o.slug: o for o in Organization.objects.all()}
    areas = {a.slug: a for a in ExpertiseArea.objects.all()}
    cast = [
        (local, organization, role, title, expertise)
        for local, _f, _l, _lang, organization, role, title, expertise, _s in PEOPLE
    ]
    cast += [
        (local, organization, role, title, [])
        for local, (organization, role, title) in ACCOUNT_PROFILES.items()
    ]
    for slug, community in demo.communities.items():
        cast.append(
            (
                f"lead.{slug}",
                "drdc" if len(cast) % 2 else "ps",
                "senior_decision_maker",
                (
                    f"Fictional lead of the {community.name_en} community",
                    f"Responsable fictif de la communauté {community.name_fr}",
                ),
                [],
            )
        )
    for number, (local, organization, role, title, expertise) in enumerate(cast, start=1):
        user = demo.user(local)
        if user is None or user.job_title or user.bio_en or user.bio_fr:
            continue  # absent, or a profile someone wrote: leave it
        bio_en, bio_fr = _bio(user.first_name, title)
        if organizations.get(organization) != user.organization:
            # A vetted member's organization is the program's word, not the member's
            # (members.services.member_update_profile refuses it): the seed speaks for the
            # program here, as an administrator would in the admin.
            user.organization = organizations.get(organization)
            user.save(update_fields=["organization", "updated_at"])
        member_update_profile(
            member=user,
            first_name=user.first_name,
            last_name=user.last_name,
            job_title=title[0] if user.preferred_language == "en" else title[1],
            organization=user.organization,
            role_type=role,
            expertise_areas=[areas[s] for s in expertise if s in areas],
            bio_en=bio_en,
            bio_fr=bio_fr,
            phone=_phone(number),
            contact_visibility=User.ContactVisibility.MEMBERS,
            listed_in_directory=True,
            preferred_language=user.preferred_language,
        )
        demo.report.add("profiles")
