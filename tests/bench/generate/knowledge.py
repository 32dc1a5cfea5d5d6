"""Generated discussions, started and answered by members of their community, and five
top-level library folders in every community that has none."""

import datetime

from django.db import transaction

from communities.models import Membership
from knowledge.models import Folder, Post, Thread

from .dataset import BATCH, MEMBER_DOMAIN, DataSet
from .vocabulary import SUBJECTS


def discussions_generate(data: DataSet, target: int) -> None:
    generated = Thread.objects.filter(author__email__endswith="@" + MEMBER_DOMAIN)
    existing = generated.count()
    missing = max(target - existing, 0)
    if not missing:
        return
    # Each thread is started and answered by members of its community.
    members: dict[int, list[int]] = {}
    for community, user in Membership.objects.filter(
        state=Membership.State.ACTIVE, user__email__endswith="@" + MEMBER_DOMAIN
    ).values_list("community_id", "user_id"):
        members.setdefault(community, []).append(user)
    with data.progress(missing, "discussions") as bar:
        for start in range(existing, target, 1000):
            stop = min(start + 1000, target)
            with transaction.atomic():
                _discussion_batch(data, start, stop, members)
            bar.update(stop - start)


def _discussion_batch(data: DataSet, start: int, stop: int, members: dict[int, list[int]]) -> None:
    rng = data.rng("discussions", start)
    threads, messages = [], []
    for index in range(start, stop):
        community = data.pick_communities(rng, 1)[0]
        people = members.get(community) or data.members
        subject_en, subject_fr = rng.choice(SUBJECTS)
        french = rng.random() < 0.3
        started = data.now - datetime.timedelta(hours=rng.randint(1, 24 * 700))
        replies = rng.choice((0, 0, 1, 2, 3, 4, 5, 7))
        times = sorted(
            started + datetime.timedelta(hours=rng.randint(1, 24 * 20)) for _ in range(replies)
        )
        threads.append(
            Thread(
                community_id=community,
                title=(
                    f"Question sur : {subject_fr} ({index})"
                    if french
                    else f"Question about {subject_en} ({index})"
                ),
                author_id=rng.choice(people),
                reply_count=replies,
                last_activity_at=times[-1] if times else started,
                created_at=started,
            )
        )
        messages.append([started, *times])
    threads = Thread.objects.bulk_create(threads)
    posts = []
    for thread, times in zip(threads, messages, strict=True):
        people = members.get(thread.community_id) or data.members
        for position, moment in enumerate(times):
            body = (
                f"What has your organization learned about this? ({thread.pk}.{position})"
                if position
                else f"Opening message of {thread.title}."
            )
            posts.append(
                Post(
                    thread=thread,
                    author_id=thread.author_id if not position else rng.choice(people),
                    body=body,
                    body_html=f"<p>{body}</p>",
                    is_opening=not position,
                    created_at=moment,
                )
            )
    Post.objects.bulk_create(posts, batch_size=BATCH)


def folders_generate(data: DataSet) -> None:
    """Five top-level library folders in every community that has none."""
    with_folders = set(Folder.objects.values_list("community_id", flat=True))
    Folder.objects.bulk_create(
        Folder(
            community_id=community,
            name=f"{name_en} / {name_fr}",
            description=f"{name_en} of the community. / {name_fr} de la communauté.",
        )
        for community in data.communities
        if community not in with_folders
        for name_en, name_fr in (
            ("Reports", "Rapports"),
            ("Meeting notes", "Notes de réunion"),
            ("Presentations", "Présentations"),
            ("Standards", "Normes"),
            ("Exercises", "Exercices"),
        )
    )
