"""What the registry pages offer to this user. The services decide; the pages only avoid
offering what would certainly be refused, and say why."""

from __future__ import annotations

from dataclasses import dataclass

from engagement.services.access import permissions
from engagement.services.access.permissions import Action, allowed, can_see_restricted
from engagement.ui import context, state
from engagement.values import Role


@dataclass(frozen=True)
class Rights:
    """``edit_actors``: some actor may be edited (a facilitator: those they created,
    listed in ``own_actors``); ``edit_ties``: any actor or tie may be edited, restored,
    or changed in bulk (leads and mentors)."""

    add_actor: bool
    edit_actors: bool
    edit_ties: bool
    see_personal: bool
    #: Catalog key saying why the page is read-only, if it is.
    read_only_reason: str | None = None
    own_actors: frozenset[int] = frozenset()

    def may_edit_actor(self, actor_id: int) -> bool:
        return self.edit_ties or (self.edit_actors and actor_id in self.own_actors)


def registry_rights(program_id: int) -> Rights:
    user = context.current_user()
    if state.presentation():
        # A screen shared in a meeting: names of people are stand-ins, nothing is edited.
        return Rights(False, False, False, False, "actors.read_only.presentation")
    registry = allowed(user, program_id, Action.EDIT_REGISTRY)
    facilitator = user.role_in(program_id) == Role.FACILITATOR
    add = allowed(user, program_id, Action.ADD_ACTOR)
    reason = None if add or registry else "actors.read_only.role"
    own = (
        permissions.own_records(context.database(), user, program_id, "actor")
        if facilitator
        else frozenset()
    )
    return Rights(
        add, registry or facilitator, registry, can_see_restricted(user, program_id), reason, own
    )


@dataclass(frozen=True)
class TrackingRights:
    """What the tracking and data pages offer this user; nothing in presentation mode.

    ``assess``: record assessments. ``record_activity``: activities, attendance and
    follow-up tasks (leads, mentors, facilitators). ``edit_tracking``: inputs and
    responses, commitments, evidence, snapshots and stage closing (leads, mentors).
    ``import_data``: imports and undoing them. ``see_audit``: the audit trail (those
    who may see restricted data).
    """

    record_activity: bool
    edit_tracking: bool
    import_data: bool
    see_audit: bool
    assess: bool = False

    @property
    def read_only(self) -> bool:
        return not (self.record_activity or self.edit_tracking)


def tracking_rights(program_id: int | None) -> TrackingRights:
    user = context.current_user()
    if program_id is None:
        return TrackingRights(False, False, False, False)
    see_audit = can_see_restricted(user, program_id)
    if state.presentation():
        return TrackingRights(False, False, False, see_audit)
    return TrackingRights(
        allowed(user, program_id, Action.RECORD_ACTIVITY),
        allowed(user, program_id, Action.EDIT_TRACKING),
        allowed(user, program_id, Action.IMPORT),
        see_audit,
        allowed(user, program_id, Action.ASSESS),
    )
