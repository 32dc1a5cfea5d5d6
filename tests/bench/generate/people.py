"""Generated people: portfolio managers (two for every community), and members with their
addresses, expertise, memberships and the permission groups of their roles."""

import datetime
import random
import unicodedata

from allauth.account.models import EmailAddress
from django.db import transaction

from communities.models import Community, Membership
from communities.services import portfolio_managers_group
from members.models import User

from .dataset import BATCH, MANAGER_DOMAIN, MEMBER_DOMAIN, DataSet
from .vocabulary import FIRST_NAMES, JOB_TITLES, LAST_NAMES, SUBJECTS


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum() or ch == "-")


def _user(data: DataSet, rng: random.Random, email: str, first: str, last: str) -> User:
    french = rng.random() < 0.3
    with_bio = rng.random() < 0.4
    return User(
        email=email,
        password=data.password,
        first_name=first,
        last_name=last,
        preferred_language="fr" if french else "en",
        organization_id=rng.choice(data.organizations)[0],
        job_title=rng.choice(JOB_TITLES),
        role_type=rng.choice(User.RoleType.values),
        bio_en=f"{first} works on {rng.choice(SUBJECTS)[0]}." if with_bio else "",
        bio_fr=f"{first} travaille sur : {rng.choice(SUBJECTS)[1]}." if with_bio else "",
        contact_visibility=rng.choice(User.ContactVisibility.values),
        listed_in_directory=rng.random() < 0.9,
        date_joined=data.now - datetime.timedelta(days=rng.randint(1, 1500)),
    )


def managers_generate(data: DataSet, target: int) -> None:
    existing = User.objects.filter(email__endswith="@" + MANAGER_DOMAIN).count()
    rng = data.rng("managers", existing)
    group = portfolio_managers_group()
    with transaction.atomic():
        managers = User.objects.bulk_create(
            _user(
                data,
                rng,
                f"portfolio.manager{index}@{MANAGER_DOMAIN}",
                rng.choice(FIRST_NAMES),
                rng.choice(LAST_NAMES),
            )
            for index in range(existing, target)
        )
        group.user_set.add(*managers)
        EmailAddress.objects.bulk_create(
            EmailAddress(user=user, email=user.email, verified=True, primary=True)
            for user in managers
        )
        data.managers = list(
            User.objects.filter(email__endswith="@" + MANAGER_DOMAIN)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        # Two portfolio managers for every community that has none yet.
        through = Community.portfolio_managers.through
        covered = set(through.objects.values_list("community_id", flat=True))
        through.objects.bulk_create(
            through(community_id=pk, user_id=manager)
            for pk in data.communities
            if pk not in covered
            for manager in rng.sample(data.managers, 2)
        )


def members_generate(data: DataSet, target: int) -> None:
    existing = User.objects.filter(email__endswith="@" + MEMBER_DOMAIN).count()
    missing = max(target - existing, 0)
    with data.progress(missing, "members") as bar:
        for start in range(existing, target, BATCH):
            with transaction.atomic():
                _member_batch(data, start, min(start + BATCH, target))
            bar.update(min(start + BATCH, target) - start)
    data.members = list(
        User.objects.filter(email__endswith="@" + MEMBER_DOMAIN).values_list("pk", flat=True)
    )


def _member_batch(data: DataSet, start: int, stop: int) -> None:
    rng = data.rng("members", start)
    users = []
    for index in range(start, stop):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        email = f"{_ascii(first)}.{_ascii(last)}.{index}@{MEMBER_DOMAIN}"
        users.append(_user(data, rng, email, first, last))
    users = User.objects.bulk_create(users, batch_size=BATCH)
    EmailAddress.objects.bulk_create(
        (EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users),
        batch_size=BATCH,
    )
    expertise = User.expertise_areas.through
    expertise.objects.bulk_create(
        (
            expertise(user_id=u.pk, expertisearea_id=area)
            for u in users
            for area in rng.sample(data.expertise, rng.randint(0, 3))
        ),
        batch_size=BATCH,
    )
    memberships, grants = [], []
    for user in users:
        k = rng.choices((1, 2, 3), weights=(50, 35, 15))[0]
        for community in data.pick_communities(rng, k):
            created = user.date_joined + datetime.timedelta(days=rng.randint(0, 30))
            roll = rng.random()
            if roll < 0.04:
                state, role = Membership.State.REQUESTED, Membership.Role.MEMBER
            elif roll < 0.08:
                state, role = Membership.State.LEFT, Membership.Role.MEMBER
            else:
                state = Membership.State.ACTIVE
                role = rng.choices(Membership.Role.values, weights=(1, 1, 90, 8))[
                    0
                ]  # lead, co-lead, member, observer
            memberships.append(
                Membership(
                    community_id=community,
                    user_id=user.pk,
                    role=role,
                    state=state,
                    created_at=created,
                    joined_at=created if state != Membership.State.REQUESTED else None,
                    ended_at=data.now if state == Membership.State.LEFT else None,
                    message="" if state != Membership.State.REQUESTED else "Hello!",
                )
            )
            if state == Membership.State.ACTIVE:
                # What membership_sync_access does, in bulk: the group of the role.
                grants.append((user.pk, data.groups[(community, role)]))
    Membership.objects.bulk_create(memberships, batch_size=BATCH)
    groups = User.groups.through
    groups.objects.bulk_create(
        (groups(user_id=user, group_id=group) for user, group in grants), batch_size=BATCH
    )
