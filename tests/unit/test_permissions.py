"""The role table, exactly as documented in engagement/services/access/permissions.py."""

from __future__ import annotations

import pytest

from engagement.errors import PermissionDenied
from engagement.model import Principal
from engagement.services.access.permissions import Action, allowed, require, require_admin

A = Action
EXPECTED = {
    "lead": set(Action),
    "mentor": {
        A.EDIT_REGISTRY,
        A.ADD_ACTOR,
        A.ASSESS,
        A.RECORD_ACTIVITY,
        A.EDIT_TRACKING,
        A.IMPORT,
        A.VIEW_RESTRICTED,
    },
    "facilitator": {A.ADD_ACTOR, A.RECORD_ACTIVITY},
    "viewer": set(),
}


@pytest.mark.parametrize("role", sorted(EXPECTED))
@pytest.mark.parametrize("action", list(Action), ids=str)
def test_role_table(role: str, action: Action) -> None:
    user = Principal("u", memberships=((7, role),))
    assert allowed(user, 7, action) is (action in EXPECTED[role])
    assert allowed(user, 8, action) is False  # not a member of program 8


@pytest.mark.parametrize(
    ("action", "created_by", "expected"),
    [
        (A.EDIT_REGISTRY, "fede", True),
        (A.EDIT_REGISTRY, "otra", False),
        (A.EDIT_REGISTRY, None, False),
        (A.RECORD_ACTIVITY, "otra", True),
        (A.ASSESS, "fede", False),
        (A.MANAGE_PROGRAM, "fede", False),
    ],
)
def test_facilitator_edits_only_what_they_created(
    action: Action, created_by: str | None, expected: bool
) -> None:
    fede = Principal("fede", memberships=((1, "facilitator"),))
    assert allowed(fede, 1, action, created_by) is expected


def test_viewer_is_refused_with_the_action_named() -> None:
    with pytest.raises(PermissionDenied) as caught:
        require(Principal("alcaldia", memberships=((1, "viewer"),)), 1, A.ADD_ACTOR)
    assert caught.value.params == {"action": "add_actor", "user": "alcaldia"}


def test_admins_and_operators_lead_everywhere() -> None:
    admin = Principal("root", memberships=(), admin=True)
    operator = Principal("cli")
    for who in (admin, operator):
        assert all(allowed(who, 99, action) for action in Action)
        require_admin(who)
    with pytest.raises(PermissionDenied):
        require_admin(Principal("lead", memberships=((1, "lead"),)))
