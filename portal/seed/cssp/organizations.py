"""Who the program's people are: the expertise areas they choose from, the organizations they
work for (with their parents), and the e-mail domains that make a vetted member of one."""

from communities.models import Organization
from members.models import ExpertiseArea, TrustedDomain

from .records import LoadReport, bilingual, create_if_absent

# The published e-mail domains of the seed's organizations (organization key -> domains): a
# confirmed address on one of them makes a vetted member of that organization
# (members.services.member_email_confirmed). Only domains each organization publishes as its
# own; a domain shared by many (canada.ca, gov.bc.ca) names no single organization and is left
# to the administrators, who edit this list in the admin.
SEED_TRUSTED_DOMAINS: dict[str, list[str]] = {
    "aafc": ["agr.gc.ca"],
    "cbsa": ["cbsa-asfc.gc.ca"],
    "cfia": ["inspection.gc.ca"],
    "cnsc": ["cnsc-ccsn.gc.ca"],
    "csc": ["csc-scc.gc.ca"],
    "dnd": ["forces.gc.ca"],
    "drdc": ["drdc-rddc.gc.ca"],
    "doj": ["justice.gc.ca"],
    "eccc": ["ec.gc.ca"],
    "dfo": ["dfo-mpo.gc.ca"],
    "gac": ["international.gc.ca"],
    "hc": ["hc-sc.gc.ca"],
    "ised": ["ised-isde.gc.ca"],
    "nrc": ["nrc-cnrc.gc.ca"],
    "nrcan": ["nrcan-rncan.gc.ca"],
    "phac": ["phac-aspc.gc.ca"],
    "ps": ["ps-sp.gc.ca", "publicsafety.gc.ca"],
    "rcmp": ["rcmp-grc.gc.ca"],
    "tc": ["tc.gc.ca"],
    "opp": ["opp.ca"],
    "sq": ["surete.qc.ca"],
    "msp-qc": ["msp.gouv.qc.ca"],
    "yukon": ["yukon.ca"],
    "nova-scotia": ["novascotia.ca"],
    "halifax": ["halifax.ca"],
    "thunder-bay": ["thunderbay.ca"],
}


def load_expertise_areas(data: dict, report: LoadReport) -> None:
    for area in data.get("expertise_areas", []):
        create_if_absent(
            ExpertiseArea,
            report,
            "expertise areas",
            {"slug": area["slug"]},
            bilingual(area, "name"),
        )


def load_organizations(data: dict, report: LoadReport) -> dict[str, Organization]:
    """The organizations by key, existing or created; parents are linked on those created."""
    organizations: dict[str, Organization] = {}
    created_now: set[str] = set()
    for org in data["organizations"]:
        organizations[org["key"]], created = create_if_absent(
            Organization,
            report,
            "organizations",
            {"slug": org["key"]},
            {
                **bilingual(org, "name", "acronym"),
                "former_names_en": "\n".join(org.get("former_names_en", [])),
                "former_names_fr": "\n".join(org.get("former_names_fr", [])),
                "sector": org["sector"],
                "jurisdiction": org["jurisdiction"],
            },
        )
        if created:
            created_now.add(org["key"])
    # Parents are linked once both exist, and only on organizations this run created.
    for org in data["organizations"]:
        if org.get("parent") and org["key"] in created_now:
            child = organizations[org["key"]]
            child.parent = organizations[org["parent"]]
            child.save(update_fields=["parent"])
    return organizations


def load_trusted_domains(report: LoadReport, *, organizations: dict[str, Organization]) -> None:
    for key, domains in SEED_TRUSTED_DOMAINS.items():
        if key not in organizations:
            continue
        for domain in domains:
            create_if_absent(
                TrustedDomain,
                report,
                "trusted domains",
                {"domain": domain},
                {"organization": organizations[key]},
            )
