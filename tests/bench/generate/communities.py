"""Generated communities: bilingual names from a topic and a region, their lead and member
organizations, objectives and permission groups. The CSSP's own communities (loaded first) are
the big ones: they draw about half of all memberships and events."""

from django.core.management.base import CommandError
from django.db import transaction
from django.utils.text import slugify

from communities.models import Community, CommunityGroup, CommunityObjective, CommunityOrganization
from communities.services import community_ensure_groups

from .dataset import MEMBER_DOMAIN, DataSet
from .vocabulary import REGIONS, SUBJECTS, TOPICS


def communities_generate(data: DataSet, target: int) -> None:
    existing = Community.objects.count()
    names = [(t, r) for r in REGIONS for t in TOPICS]
    rng = data.rng("communities", existing)
    missing = max(target - existing, 0)
    with data.progress(missing, "communities") as bar, transaction.atomic():
        taken = set(Community.objects.values_list("slug", flat=True))
        made = 0  # not bar.n: a disabled bar (verbosity 0) counts nothing
        for (topic_en, topic_fr), (region_en, region_fr) in names:
            if made >= missing:
                break
            slug = slugify(f"{region_en} {topic_en}")
            if slug in taken:
                continue
            members_only = rng.random() < 0.2
            community = Community.objects.create(
                slug=slug,
                name_en=f"{region_en} {topic_en}",
                name_fr=f"{topic_fr} — {region_fr}",
                summary_en=(
                    f"Practitioners, scientists and policy-makers working on "
                    f"{topic_en.lower()} in the {region_en} region share research, "
                    "lessons learned and priorities."
                ),
                summary_fr=(
                    f"Praticiens, scientifiques et décideurs qui travaillent sur le thème "
                    f"« {topic_fr.lower()} » dans la région {region_fr} mettent en commun "
                    "recherches, leçons apprises et priorités."
                ),
                objectives_intro_en=(
                    "The community contributes knowledge and expertise to support "
                    "advancements in Canada’s ability to:"
                ),
                objectives_intro_fr=(
                    "La communauté met ses connaissances et son expertise au service des "
                    "progrès de la capacité du Canada à :"
                ),
                visibility=Community.Visibility.MEMBERS
                if members_only
                else Community.Visibility.PUBLIC,
                join_policy=rng.choice(Community.JoinPolicy.values),
                working_languages=rng.choice(Community.WorkingLanguages.values),
                contact_email=f"{slug}@{MEMBER_DOMAIN}",
            )
            community_ensure_groups(community=community)
            orgs = rng.sample(data.organizations, 5)
            CommunityOrganization.objects.bulk_create(
                CommunityOrganization(
                    community=community,
                    organization_id=pk,
                    role=CommunityOrganization.Role.LEAD
                    if position == 0
                    else CommunityOrganization.Role.MEMBER,
                    position=position,
                )
                for position, (pk, _sector) in enumerate(orgs)
            )
            CommunityObjective.objects.bulk_create(
                CommunityObjective(
                    community=community,
                    position=position,
                    text_en=f"anticipate and mitigate risks to {subject_en}",
                    text_fr=f"anticiper et atténuer les risques liés à : {subject_fr}",
                )
                for position, (subject_en, subject_fr) in enumerate(
                    rng.sample(SUBJECTS, 3), start=1
                )
            )
            taken.add(slug)
            made += 1
            bar.update(1)
        if made < missing:
            raise CommandError(
                f"Only {len(names)} generated community names: ask for fewer communities."
            )
    # The seed's communities (and their working groups) are the big ones: they draw about
    # half of all memberships and events.
    seeded = set(
        Community.objects.exclude(contact_email__endswith=MEMBER_DOMAIN).values_list(
            "pk", flat=True
        )
    )
    data.communities = list(Community.objects.order_by("pk").values_list("pk", flat=True))
    data.weights = [6 if pk in seeded else 1 for pk in data.communities]
    data.groups = {(cg.community_id, cg.role): cg.group_id for cg in CommunityGroup.objects.all()}
    data.community_names = {
        pk: (en, fr) for pk, en, fr in Community.objects.values_list("pk", "name_en", "name_fr")
    }
