"""Concurrent read-modify-write through the services loses nothing.

SQLite write transactions begin IMMEDIATE (platform notes: pysqlite's default handling
silently lost 338 of 400 such updates). Each worker re-reads the actor and saves with
the version it read; a StaleEdit means someone else saved first, and the worker retries,
as a user reloading would.
"""

from __future__ import annotations

import threading

from engagement.errors import StaleEdit
from engagement.i18n import describe_error
from engagement.model import Principal
from engagement.services.registry import actors, programs
from engagement.storage.db import Database
from engagement.storage.queries import registry as stored_registry

WORKERS, UPDATES = 8, 50


def test_concurrent_updates_lose_nothing(db: Database) -> None:
    program = programs.create_program(db, Principal("lead"), "Concurrencia")
    actor = actors.add_actor(
        db, Principal("lead"), program.id, {"name": "Contador", "territory": "0"}
    )
    stale = [0] * WORKERS
    messages: list[str] = []
    errors: list[BaseException] = []

    def work(n: int) -> None:
        user = Principal(f"mentor{n}")
        try:
            for _ in range(UPDATES):
                while True:
                    current = stored_registry.get_actor(db, actor.id)
                    value = str(int(current.territory) + 1)
                    try:
                        actors.update_actor(
                            db, user, actor.id, {"territory": value}, current.version
                        )
                        break
                    except StaleEdit as conflict:
                        stale[n] += 1
                        messages.append(describe_error(conflict, "en"))
        except BaseException as exc:  # surfaced below: any unhandled error fails the test
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    final = stored_registry.get_actor(db, actor.id)
    assert final.territory == str(WORKERS * UPDATES)
    assert final.version == 1 + WORKERS * UPDATES
    # Every conflict reached the user as the message naming who saved first.
    odd = [m for m in messages if not (m.startswith("Not saved: mentor") and "(“Contador”)" in m)]
    assert odd == []
