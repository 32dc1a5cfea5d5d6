import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from proposals.models import Call, Proposal
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


def _call(**overrides):
    now = timezone.now()
    values = {
        "title_en": "2027 Call",
        "title_fr": "Appel 2027",
        "slug": "call-2027",
        "year": 2027,
        "description_en": "d",
        "description_fr": "d",
        "opens_at": now - datetime.timedelta(days=1),
        "closes_at": now + datetime.timedelta(days=30),
        "is_published": True,
    }
    values.update(overrides)
    return Call(**values)


def test_a_call_must_close_after_it_opens():
    call = _call()
    call.closes_at = call.opens_at

    with pytest.raises(ValidationError) as error:
        call.full_clean()
    assert "closes_at" in error.value.message_dict


def test_a_call_is_open_only_between_its_dates_and_once_published():
    call = _call()
    call.save()

    assert call.is_open()
    assert not call.is_open(call.closes_at)
    assert list(Call.objects.open_at()) == [call]
    Call.objects.filter(pk=call.pk).update(is_published=False)
    assert not Call.objects.open_at().exists()


def test_a_submitted_proposal_records_when():
    call = _call()
    call.save()

    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.create(
            call=call, title_en="Sensors", proposer=UserFactory(), status=Proposal.Status.SUBMITTED
        )


def test_requested_funding_cannot_be_negative():
    call = _call()
    call.save()

    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.create(
            call=call, title_en="Sensors", proposer=UserFactory(), requested_funding=-1
        )
