"""Reading a program through the read layer as the local operator, who sees everything:
what the services' tests check was stored, with the program's rules applied."""

from __future__ import annotations

from engagement.model import Principal
from engagement.services.view import ProgramView, program_view
from engagement.storage.db import Database

#: The local operator (the command line without ``--user``): every role, every actor.
OPERATOR = Principal("local")


def read_all(db: Database, program_id: int) -> ProgramView:
    """The program as the local operator sees it: everything, as stored."""
    return program_view(db, OPERATOR, program_id)
