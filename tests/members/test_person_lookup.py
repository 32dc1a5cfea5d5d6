"""The person's row on every signed-in request: `User.objects.get(pk=...)` (what Django's
ModelBackend.get_user runs) reads it with SQL compiled once, and gives the same person as the
ORM's own query."""

import datetime

import pytest
from django.db.models.sql.compiler import SQLCompiler
from django.test import Client
from django.utils import timezone, translation

from members.models import User
from tests.communities.factories import OrganizationFactory
from tests.helpers import page, url
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


def _fields(user) -> dict:
    return {field.attname: getattr(user, field.attname) for field in User._meta.concrete_fields}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_person_read_by_key_is_the_row_the_orm_reads(language):
    person = UserFactory(
        bio_en="Works on decontamination.",
        bio_fr="Travaille sur la décontamination.",
        organization=OrganizationFactory(),
        job_title="Scientist",
        last_login=timezone.now() - datetime.timedelta(days=2),
    )

    with translation.override(language):
        fast = User.objects.get(pk=person.pk)
        through_the_orm = User.objects.filter(pk=person.pk).get()

    assert type(fast) is User
    assert _fields(fast) == _fields(through_the_orm)
    assert not fast._state.adding and fast._state.db == "default"
    assert fast.bio_fr == "Travaille sur la décontamination."
    # A later save updates the row, as for any object read from the database.
    fast.job_title = "Chemist"
    fast.save(update_fields=["job_title"])
    assert User.objects.filter(pk=person.pk).values_list("job_title", flat=True).get() == "Chemist"


def test_an_unknown_key_is_does_not_exist_and_other_lookups_take_the_usual_path():
    person = UserFactory()
    with pytest.raises(User.DoesNotExist):
        User.objects.get(pk=person.pk + 10_000)
    assert User.objects.get(pk=str(person.pk)) == person
    assert User.objects.get(email=person.email) == person


def test_a_signed_in_page_compiles_no_query_for_the_person(monkeypatch):
    person = UserFactory(verified=True, first_name="Noor")
    client = Client()
    client.force_login(person)
    client.get(url("home"))  # what is compiled once per process is compiled now

    compiled = []
    original = SQLCompiler.as_sql

    def as_sql(self, *args, **kwargs):
        sql, params = original(self, *args, **kwargs)
        compiled.append(sql)
        return sql, params

    monkeypatch.setattr(SQLCompiler, "as_sql", as_sql)
    html = page(client.get(url("members:me"), follow=True))

    assert "Noor" in html  # signed in: their own profile
    by_key = 'FROM "members_user" WHERE "members_user"."id" = %s'
    assert not [sql for sql in compiled if sql.endswith(by_key) or f"{by_key} LIMIT" in sql]


def test_a_deactivated_person_is_signed_out_on_their_next_request():
    person = UserFactory(verified=True)
    client = Client()
    client.force_login(person)
    User.objects.filter(pk=person.pk).update(is_active=False)

    response = client.get(url("members:me"))

    assert response.status_code == 302
    assert url("account_login") in response["Location"]
