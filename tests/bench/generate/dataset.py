"""What the generation steps share: the generated people's address domains, the batch size, and
the DataSet (the seeded random numbers, the progress bars and the ids made so far)."""

import datetime
import random
import secrets

from django.contrib.auth.hashers import make_password
from tqdm import tqdm

from communities.models import Organization
from members.models import ExpertiseArea

MEMBER_DOMAIN = "bench.cssp-cop.example.ca"
MANAGER_DOMAIN = "portfolio.bench.cssp-cop.example.ca"
EVENT_SLUG_MARK = "-e"
BATCH = 5000
DRAFT_SHARE = 0.04


class DataSet:
    """What the generation steps share: the seeded random numbers, the progress bars, and the
    ids the earlier steps made (the communities and their groups, the people, the calls...)
    that the later ones pick from."""

    def __init__(self, *, seed: int, now: datetime.datetime, verbose: bool):
        self.seed = seed
        self.now = now
        self.verbose = verbose
        self.password = make_password(secrets.token_urlsafe(24))
        self.organizations = list(Organization.objects.values_list("pk", "sector"))
        self.federal = [pk for pk, sector in self.organizations if sector == "federal"]
        self.expertise = list(ExpertiseArea.objects.values_list("pk", flat=True))
        # What the steps make, in this order, for the later steps to pick from.
        self.communities: list[int] = []
        self.weights: list[int] = []
        self.groups: dict[tuple[int, str], int] = {}
        self.community_names: dict[int, tuple[str, str]] = {}
        self.managers: list[int] = []
        self.members: list[int] = []
        self.calls: list[tuple[int, int]] = []
        self.gaps: dict[int, list[int]] = {}
        self.community_managers: dict[int, list[int]] = {}

    def rng(self, kind: str, start: int) -> random.Random:
        # Made-up data, reproducible from the seed: no secret comes from this generator.
        return random.Random(f"{self.seed}:{kind}:{start}")

    def progress(self, total: int, desc: str):
        return tqdm(total=total, desc=desc, unit=" rows", disable=not self.verbose or not total)

    def pick_communities(self, rng: random.Random, k: int) -> list[int]:
        picked: list[int] = []
        while len(picked) < k:
            (pk,) = rng.choices(self.communities, weights=self.weights)
            if pk not in picked:
                picked.append(pk)
        return picked
