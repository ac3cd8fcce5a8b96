"""What the registry pages offer to this user. The services decide; the pages only avoid
offering what would certainly be refused, and say why."""

from __future__ import annotations

from dataclasses import dataclass

from engagement.services.permissions import Action, allowed, can_see_restricted
from engagement.ui import context, state
from engagement.values import Role


@dataclass(frozen=True)
class Rights:
    """``edit_actors`` means "may try": a facilitator may edit only the actors they
    created, and the service refuses the others with a clear message."""

    add_actor: bool
    edit_actors: bool
    edit_ties: bool
    see_personal: bool
    #: Catalog key saying why the page is read-only, if it is.
    read_only_reason: str | None = None


def registry_rights(program_id: int) -> Rights:
    user = context.current_user()
    if state.presentation():
        # A screen shared in a meeting: names of people are stand-ins, nothing is edited.
        return Rights(False, False, False, False, "actors.read_only.presentation")
    registry = allowed(user, program_id, Action.EDIT_REGISTRY)
    facilitator = user.role_in(program_id) == Role.FACILITATOR
    add = allowed(user, program_id, Action.ADD_ACTOR)
    reason = None if add or registry else "actors.read_only.role"
    return Rights(
        add, registry or facilitator, registry, can_see_restricted(user, program_id), reason
    )
