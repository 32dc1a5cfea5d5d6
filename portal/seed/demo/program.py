"""The demo's program: gaps and priorities with their votes, an open call for proposals addressing
them, and proposals drafted or submitted to it."""

from __future__ import annotations

import datetime
from decimal import Decimal

from proposals import services as proposal_services
from proposals.models import Call, CapabilityGap, Proposal

from .context import DemoContext, demo_time


def create_demo_program(demo: DemoContext) -> None:
    gaps = [
        ("chemical", "member2", CapabilityGap.Kind.CAPABILITY_GAP,
         ("[Demo] Fictional gap: field detection of industrial chemicals",
          "[Démo] Lacune fictive : détection sur le terrain des produits chimiques "
          "industriels"),
         ["riley.gagnon", "avery.chen", "dominique.roy"]),
        ("natural-hazards", "member1", CapabilityGap.Kind.PRIORITY,
         ("[Demo] Fictional priority: flood forecasting for small municipalities",
          "[Démo] Priorité fictive : prévision des crues pour les petites municipalités"),
         ["dominique.roy", "maya.lindqvist", "jordan.white-eagle", "member1"]),
        ("biological", "avery.chen", CapabilityGap.Kind.RISK,
         ("[Demo] Fictional risk: laboratory surge capacity",
          "[Démo] Risque fictif : capacité de pointe des laboratoires"),
         ["noor.haddad", "sasha.mackenzie"]),
    ]  # fmt: skip
    created_gaps = []
    for slug, author, kind, (title_en, title_fr), voters in gaps:
        community = demo.communities.get(slug)
        if community is None:
            continue
        gap = CapabilityGap.objects.filter(community=community, title_en=title_en).first()
        if gap is None:
            gap = proposal_services.gap_create(
                community=community,
                by=demo.user(author),
                data={
                    "kind": kind,
                    "title_en": title_en,
                    "title_fr": title_fr,
                    "description_en": "A fictional gap, for the demonstration.",
                    "description_fr": "Une lacune fictive, pour la démonstration.",
                },
            )
            for voter in voters:
                proposal_services.gap_vote_toggle(gap=gap, by=demo.user(voter))
            demo.report.add("gaps")
        created_gaps.append(gap)

    call = Call.objects.filter(slug="demo-call-for-proposals").first()
    if call is None:
        call = proposal_services.call_save(
            call=Call(
                slug="demo-call-for-proposals",
                title_en="[Demo] Fictional call for proposals",
                title_fr="[Démo] Appel de propositions fictif",
                description_en="A fictional call, open now, to show drafting and "
                "submitting proposals. No funding is real.",
                description_fr="Un appel fictif, ouvert maintenant, pour montrer la "
                "rédaction et la soumission de propositions. Aucun financement n’est réel.",
                eligibility_en="Members acting for a government organization (fictional).",
                eligibility_fr="Membres agissant pour une organisation gouvernementale (fictif).",
                year=demo.now.year,
                opens_at=demo.now - datetime.timedelta(days=14),
                closes_at=demo_time(demo.now, days=60, hour=14),
            ),
            by=demo.pm,
            communities=[
                demo.communities[s]
                for s in ("chemical", "natural-hazards", "biological")
                if s in demo.communities
            ],
            priorities=created_gaps,
        )
        call = proposal_services.call_publish(call=call, by=demo.pm)
        demo.report.add("calls")
    if not call.is_open(demo.now):
        return
    proposals = [
        ("member1", "natural-hazards", True,
         ("[Demo] Fictional proposal: flood early warning for small towns",
          "[Démo] Proposition fictive : alerte précoce aux crues pour les petites villes")),
        ("member2", "chemical", False,
         ("[Demo] Fictional draft: portable chemical detectors trial",
          "[Démo] Ébauche fictive : essai de détecteurs chimiques portatifs")),
        ("avery.chen", "biological", True,
         ("[Demo] Fictional proposal: shared laboratory surge roster",
          "[Démo] Proposition fictive : liste de renfort partagée entre laboratoires")),
    ]  # fmt: skip
    for author, slug, submit, (title_en, title_fr) in proposals:
        person = demo.user(author)
        community = demo.communities.get(slug)
        if person is None or community is None:
            continue
        if Proposal.objects.filter(call=call, title_en=title_en).exists():
            continue
        proposal = proposal_services.proposal_create(
            call=call,
            by=person,
            data={
                "title_en": title_en,
                "title_fr": title_fr,
                "summary_en": "A fictional proposal written for the demonstration.",
                "summary_fr": "Une proposition fictive rédigée pour la démonstration.",
                "objectives_en": "Show how a proposal moves through the workflow.",
                "objectives_fr": "Montrer le cheminement d’une proposition.",
                "requested_funding": Decimal("150000"),
                "duration_months": 18,
            },
            m2m={
                "communities": [community],
                "gaps": [g for g in created_gaps if g.community_id == community.pk],
            },
        )
        if submit:
            proposal_services.proposal_submit(proposal=proposal, by=person)
        demo.report.add("proposals")
