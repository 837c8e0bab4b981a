"""Paths into a tool's payload: dotted, JSON pointer, and a list element picked by a field."""

from integrations.paths import MISSING, resolve

TEAM = {"item": {"team": [
    {"role": "assigned", "name": "sanne"},
    {"role": "requester", "name": "ann@example.org"},
]}}  # fmt: skip


def test_a_dotted_step_picks_the_first_list_element_with_that_field():
    assert resolve(TEAM, "item.team[role=requester].name") == "ann@example.org"
    assert resolve(TEAM, "item.team[role=assigned].name") == "sanne"
    assert resolve(TEAM, "item.team.1.name") == "ann@example.org"


def test_no_element_with_that_field_is_missing():
    assert resolve(TEAM, "item.team[role=observer].name") is MISSING
    assert resolve(TEAM, "item[role=requester].name") is MISSING  # not a list
    assert resolve({"item": {"team": None}}, "item.team[role=requester].name") is MISSING


def test_a_json_pointer_reads_brackets_as_part_of_the_key():
    assert resolve({"a[b=c]": 1}, "/a[b=c]") == 1
    assert resolve(TEAM, "/item/team[role=requester]/name") is MISSING


def test_alternatives_are_tried_in_turn():
    assert resolve({"detail": {"id": "7"}}, "ticket.id | detail.id") == "7"
    assert resolve({"ticket": {"id": "8"}, "detail": {"id": "7"}}, "ticket.id | detail.id") == "8"
    assert resolve({}, "ticket.id | detail.id") is MISSING
    assert resolve({"ticket": {"id": None}}, "ticket.id | detail.id") is None  # present: null
