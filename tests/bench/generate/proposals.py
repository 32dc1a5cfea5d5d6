"""Generated calls for proposals (one a year), the communities' gaps and priorities, and
proposals in every status of the workflow, with their communities and gaps."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils.text import slugify

from communities.models import Community
from proposals.models import Call, CapabilityGap, Proposal

from .dataset import MEMBER_DOMAIN, DataSet
from .vocabulary import GAP_TITLES, PROJECT_TITLES


def calls_and_gaps_generate(data: DataSet) -> None:
    with transaction.atomic():
        for year in range(2019, 2028):
            slug = f"cssp-call-for-proposals-{year}"
            if Call.objects.filter(year=year).exists():
                continue
            call = Call.objects.create(
                slug=slug,
                year=year,
                title_en=f"CSSP call for proposals {year}",
                title_fr=f"Appel de propositions du PCSS {year}",
                description_en="Science and technology solutions to the communities’ priorities.",
                description_fr="Des solutions scientifiques et technologiques aux priorités "
                "des communautés.",
                opens_at=datetime.datetime(year - 1, 10, 1, 9, tzinfo=datetime.UTC),
                closes_at=datetime.datetime(year, 1, 31, 17, tzinfo=datetime.UTC),
                is_published=True,
            )
            call.communities.set(data.communities[:: max(1, len(data.communities) // 20)])
        gaps = []
        with_gaps = set(CapabilityGap.objects.values_list("community_id", flat=True))
        for community in data.communities:
            if community in with_gaps:
                continue
            for position, (kind, title_en, title_fr) in enumerate(GAP_TITLES, start=1):
                gaps.append(
                    CapabilityGap(
                        community_id=community,
                        kind=kind,
                        title_en=title_en,
                        title_fr=title_fr,
                        slug=slugify(title_en),
                        rank=position,
                    )
                )
        CapabilityGap.objects.bulk_create(gaps)
    data.calls = list(Call.objects.values_list("pk", "year"))
    data.gaps = {}
    for pk, community in CapabilityGap.objects.values_list("pk", "community_id"):
        data.gaps.setdefault(community, []).append(pk)
    data.community_managers = {}
    for community, user in Community.portfolio_managers.through.objects.values_list(
        "community_id", "user_id"
    ):
        data.community_managers.setdefault(community, []).append(user)


def proposals_generate(data: DataSet, target: int) -> None:
    existing = Proposal.objects.filter(proposer__email__endswith="@" + MEMBER_DOMAIN).count()
    missing = max(target - existing, 0)
    with data.progress(missing, "proposals") as bar:
        for start in range(existing, target, 1000):
            stop = min(start + 1000, target)
            with transaction.atomic():
                _proposal_batch(data, start, stop)
            bar.update(stop - start)


def _proposal_batch(data: DataSet, start: int, stop: int) -> None:
    rng = data.rng("proposals", start)
    proposals, links = [], []
    statuses = Proposal.Status
    for index in range(start, stop):
        call, year = rng.choice(data.calls)
        communities = data.pick_communities(rng, rng.choice((1, 1, 2)))
        title_en, title_fr = rng.choice(PROJECT_TITLES)
        status = rng.choices(
            [
                statuses.DRAFT,
                statuses.SUBMITTED,
                statuses.UNDER_REVIEW,
                statuses.RECOMMENDED,
                statuses.FUNDED,
                statuses.NOT_FUNDED,
                statuses.WITHDRAWN,
            ],
            weights=(15, 25, 25, 10, 10, 10, 5),
        )[0]
        assigned = status not in (statuses.DRAFT, statuses.SUBMITTED) or rng.random() < 0.5
        managers = data.community_managers.get(communities[0]) or data.managers
        proposals.append(
            Proposal(
                call_id=call,
                title_en=f"{title_en} ({index})",
                title_fr=f"{title_fr} ({index})",
                summary_en=f"A {rng.randint(12, 36)}-month project: {title_en.lower()}.",
                summary_fr=f"Un projet de {rng.randint(12, 36)} mois : {title_fr.lower()}.",
                lead_department_id=rng.choice(data.federal),
                requested_funding=Decimal(rng.randrange(50_000, 1_500_000, 5_000)),
                duration_months=rng.choice((12, 18, 24, 36)),
                status=status,
                proposer_id=rng.choice(data.members),
                portfolio_manager_id=rng.choice(managers)
                if status != statuses.DRAFT and assigned
                else None,
                submitted_at=None
                if status == statuses.DRAFT
                else datetime.datetime(year - 1, 12, 1, tzinfo=datetime.UTC)
                + datetime.timedelta(hours=rng.randint(0, 24 * 50)),
            )
        )
        links.append(communities)
    proposals = Proposal.objects.bulk_create(proposals)
    through = Proposal.communities.through
    through.objects.bulk_create(
        through(proposal_id=proposal.pk, community_id=community)
        for proposal, communities in zip(proposals, links, strict=True)
        for community in communities
    )
    gaps = Proposal.gaps.through
    gaps.objects.bulk_create(
        gaps(proposal_id=proposal.pk, capabilitygap_id=gap)
        for proposal, communities in zip(proposals, links, strict=True)
        for gap in rng.sample(
            data.gaps.get(communities[0], []), min(1, len(data.gaps.get(communities[0], [])))
        )
    )
