"""surveys.sql: the hand-written reads and writes of the ingest path store and load what the ORM
would, on PostgreSQL and on SQLite."""

from datetime import timedelta

import pytest
from django.db import DataError, connection, transaction

from delivery.models import DeliveryRule, SuppressedAddress
from surveys import sql
from surveys.api_tokens import api_token_create
from surveys.models import ApiToken, Invitation, Requester, Team, Ticket
from tests.conftest import NOW

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


def test_select_matches_the_orm(team, frozen):
    DeliveryRule.objects.create(
        team=team,
        office_hours_start="08:30",
        office_hours_end="17:00",
        throttle_days=3,
        exclude_service_accounts=False,
    )
    SuppressedAddress.objects.create(email="x@example.org", reason="bounced", created_at=NOW)
    r = Requester.objects.create(email="r@example.org", opted_out_at=NOW - timedelta(hours=3))
    t = Ticket.objects.create(
        source="s", external_id="1", team=team, requester=r, closed_at=NOW - timedelta(hours=1)
    )
    Invitation.objects.create(
        ticket=t, requester=r, team=team, send_after=NOW, sent_at=NOW - timedelta(minutes=5)
    )
    api_token_create(name="jira", scopes=["results:read"])  # a JSON field, read back as a list
    for model in (Team, Requester, Ticket, Invitation, DeliveryRule, SuppressedAddress, ApiToken):
        orm = list(model.objects.order_by("pk"))
        raw = sql.select(model, "1 = 1", [], suffix="ORDER BY id")
        for a, b in zip(orm, raw, strict=True):
            for f in model._meta.concrete_fields:
                va, vb = getattr(a, f.attname), getattr(b, f.attname)
                assert va == vb and type(va) is type(vb), (model, f.name, va, vb)
                if hasattr(va, "tzinfo") and hasattr(va, "utcoffset"):
                    assert vb.utcoffset() == va.utcoffset(), (model, f.name, va, vb)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL only: SQLite does not enforce varchar lengths",
)
def test_insert_of_ten_rows_refuses_an_over_long_value_like_one_row(team, frozen):
    r = Requester.objects.create(email="r@example.org")

    def tickets(n):
        return [
            Ticket(
                source="s",
                external_id=f"{n}-{i}",
                subject="x" * 300,
                team=team,
                requester=r,
                closed_at=NOW,
            )
            for i in range(n)
        ]

    with pytest.raises(DataError), transaction.atomic():
        sql.insert(tickets(1))  # VALUES: PostgreSQL refuses 300 characters in varchar(255)
    with pytest.raises(DataError), transaction.atomic():
        sql.insert(tickets(10))  # UNNEST: %s::varchar(255)[] silently cuts them to 255


def test_an_empty_in_list_selects_nothing_rather_than_failing(team):
    assert sql.select(Team, *sql.is_in("slug", [])) == []
    assert [t.slug for t in sql.select(Team, *sql.is_in("slug", ["workplace", "x"]))] == [
        "workplace"
    ]


def test_an_insert_split_over_several_statements_stores_every_row_with_its_key(
    team, frozen, monkeypatch
):
    # A batch larger than one statement's parameters allow is split (SQLite: a 1,000-ticket
    # batch's invitations take two statements); nine rows stay below UNNEST on PostgreSQL too.
    monkeypatch.setattr(sql, "MAX_PARAMETERS", 20)  # two or three tickets per statement
    r = Requester.objects.create(email="r@example.org")
    tickets = [
        Ticket(source="s", external_id=str(n), team=team, requester=r, closed_at=NOW)
        for n in range(9)
    ]
    inserted = sql.insert(tickets, skip_conflicts_on=("source", "external_id"))
    assert len(inserted) == 9
    stored = dict(Ticket.objects.values_list("external_id", "pk"))
    assert {t.external_id: t.pk for t in inserted} == stored
