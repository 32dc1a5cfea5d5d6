"""Every permission decision about consultations, each rule beside the queryset it agrees with.

- Opened by the leads (and co-leads) of a community, portfolio managers and administrators, in
  one community or several.
- Managed (edited, closed, read answer by answer, exported, summarized) by whoever opened it,
  the leads of any of its communities, portfolio managers and administrators.
- Answered, while open, by its audience: the members who take part in one of its communities
  (observers only read), the core group of one of them, or every vetted member of the portal.
- Read: by its managers at any time; by its audience once open; by whoever sees one of its
  communities once its "what we heard" is published (it is then part of the community's
  record). Everyone else gets a 404: a consultation they may not see does not exist for them.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from communities.access import MANAGE, PARTICIPATE, standing_of
from communities.models import Community
from communities.policies import can_view_community, communities_visible_to
from cssp_portal.collation import order_by_name
from cssp_portal.params import id_or_none

from .models import Consultation


def is_vetted(standing) -> bool:
    """Who the "all vetted members" audience reaches. Until the vetting flag lands on the
    standing (`standing.vetted`), every signed-in member: change this line only."""
    return standing.signed_in


# --- Opening ---------------------------------------------------------------------------------


def can_open_consultation(who, community: Community) -> bool:
    """Leads and co-leads of an active community, portfolio managers and administrators."""
    standing = standing_of(who)
    if community.status != Community.Status.ACTIVE:
        return False
    return standing.is_program_staff or standing.has(MANAGE, community.pk)


def communities_for_opening(who) -> QuerySet[Community]:
    """The communities `who` may open a consultation in (agrees with `can_open_consultation`)."""
    standing = standing_of(who)
    communities = order_by_name(Community.objects.active(), "name")
    if not standing.signed_in:
        return communities.none()
    if standing.is_program_staff or standing.has_global(MANAGE):
        return communities
    return communities.filter(pk__in=standing.community_ids_with(MANAGE))


def can_open_any(who) -> bool:
    standing = standing_of(who)
    return (
        standing.is_program_staff
        or bool(standing.community_ids_with(MANAGE))
        or (standing.has_global(MANAGE))
    )


# --- Managing --------------------------------------------------------------------------------


def _community_ids(consultation: Consultation) -> set[int]:
    return {community.pk for community in consultation.communities.all()}


def can_manage_consultation(who, consultation: Consultation) -> bool:
    """Whoever opened it, the leads of any of its communities, program staff."""
    standing = standing_of(who)
    if not standing.signed_in:
        return False
    if standing.is_program_staff or standing.has_global(MANAGE):
        return True
    if consultation.created_by_id is not None and consultation.created_by_id == standing.user_id:
        return True
    return bool(_community_ids(consultation) & standing.community_ids_with(MANAGE))


def _managed_q(standing) -> Q:
    return Q(created_by_id=standing.user_id) | Q(
        communities__in=list(standing.community_ids_with(MANAGE))
    )


def consultations_managed_by(who) -> QuerySet[Consultation]:
    """Agrees with `can_manage_consultation`."""
    standing = standing_of(who)
    if not standing.signed_in:
        return Consultation.objects.none()
    if standing.is_program_staff or standing.has_global(MANAGE):
        return Consultation.objects.all()
    ids = Consultation.objects.filter(_managed_q(standing)).values("pk")
    return Consultation.objects.filter(pk__in=ids)


def can_edit_consultation(who, consultation: Consultation) -> bool:
    return consultation.status in (
        Consultation.Status.SCHEDULED,
        Consultation.Status.OPEN,
    ) and can_manage_consultation(who, consultation)


def can_close_consultation(who, consultation: Consultation) -> bool:
    return can_edit_consultation(who, consultation)


def can_publish_summary(who, consultation: Consultation) -> bool:
    """Once answers have stopped (closed on its date or early)."""
    return consultation.status in (
        Consultation.Status.CLOSED,
        Consultation.Status.PUBLISHED,
    ) and can_manage_consultation(who, consultation)


def can_view_responses(who, consultation: Consultation) -> bool:
    return can_manage_consultation(who, consultation)


# --- Answering and reading -------------------------------------------------------------------


def in_audience(who, consultation: Consultation) -> bool:
    """Whether `who` is among those asked (whatever the dates)."""
    standing = standing_of(who)
    if not standing.signed_in:
        return False
    audience = consultation.audience
    if audience == Consultation.Audience.VETTED:
        return is_vetted(standing)
    ids = _community_ids(consultation)
    if audience == Consultation.Audience.CORE:
        return bool(ids & standing.core_of)
    return bool(ids & standing.community_ids_with(PARTICIPATE))


def _audience_q(standing) -> Q:
    audience = Consultation.Audience
    q = Q(
        audience=audience.COMMUNITY,
        communities__in=list(standing.community_ids_with(PARTICIPATE)),
    ) | Q(audience=audience.CORE, communities__in=list(standing.core_of))
    if is_vetted(standing):
        q |= Q(audience=audience.VETTED)
    return q


def can_respond(who, consultation: Consultation) -> bool:
    """The audience, while the consultation is open."""
    return consultation.is_open and in_audience(who, consultation)


def can_view_consultation(who, consultation: Consultation) -> bool:
    standing = standing_of(who)
    if can_manage_consultation(standing, consultation):
        return True
    if consultation.opens_at <= timezone.now() and in_audience(standing, consultation):
        return True
    if consultation.published_at is not None:
        return any(can_view_community(standing, c) for c in consultation.communities.all())
    return False


def consultations_visible_to(who) -> QuerySet[Consultation]:
    """Agrees with `can_view_consultation`."""
    standing = standing_of(who)
    if standing.signed_in and (standing.is_program_staff or standing.has_global(MANAGE)):
        return Consultation.objects.all()
    q = Q(published_at__isnull=False, communities__in=communities_visible_to(standing))
    if standing.signed_in:
        q |= _managed_q(standing)
        q |= Q(opens_at__lte=timezone.now()) & _audience_q(standing)
    ids = Consultation.objects.filter(q).values("pk")
    return Consultation.objects.filter(pk__in=ids)


def consultations_to_answer(who) -> QuerySet[Consultation]:
    """Open consultations `who` is asked to answer (agrees with `can_respond`)."""
    standing = standing_of(who)
    if not standing.signed_in:
        return Consultation.objects.none()
    ids = Consultation.objects.open_now().filter(_audience_q(standing)).values("pk")
    return Consultation.objects.filter(pk__in=ids)


# --- Accessors -------------------------------------------------------------------------------


def consultation_for_viewing(who, *, pk) -> Consultation:
    """The consultation, or 404 when it does not exist or `who` may not see it."""
    pk = id_or_none(pk)
    consultation = (
        Consultation.objects.prefetch_related("communities").filter(pk=pk).first() if pk else None
    )
    if consultation is None or not can_view_consultation(who, consultation):
        raise Http404
    return consultation


def consultation_for_managing(who, *, pk) -> Consultation:
    """404 to those who may not see it, 403 to those who see it but do not manage it."""
    consultation = consultation_for_viewing(who, pk=pk)
    if not can_manage_consultation(who, consultation):
        raise PermissionDenied
    return consultation
