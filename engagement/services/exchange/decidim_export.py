"""The program's commitments as a results CSV for Decidim's accountability import.

Decidim's admin "Import results" (``Decidim::Accountability::ResultsCsvImporter``,
read from decidim/decidim) reads a CSV with headers in ``Decidim.default_csv_col_sep``
(``;``), one result a row: ``id`` (an existing result is updated, an empty or unknown
one is created), ``title/<locale>`` and ``description/<locale>`` (both required),
``start_date``, ``end_date``, ``progress`` and ``parent/id``. This export writes those
columns only:

- ``id`` is the Decidim id of a commitment imported from ``host``, else empty (new);
- a milestone that came from a child result is written as that child (its own id and
  ``parent/id``); other milestones are Tejido's own and are not written;
- ``status/id`` is left out: status ids are installation-specific and Tejido does not
  hold them, so Decidim keeps each result's status;
- ``proposal_urls`` is left out: the importer takes only the last digit of each URL as
  the proposal id (``scan(/\\d$/)``), which would link the wrong proposals.

No byte-order mark (the importer would read the first header as ``\\ufeffid``); cells
that look like formulas are neutralised by :func:`engagement.io.writers.write_csv`.
"""

from __future__ import annotations

import io

from sqlalchemy import select

from engagement.io.writers import Table, write_csv
from engagement.model import Principal
from engagement.services.access.permissions import Action, require, require_member
from engagement.services.tracking.commitments import progress_of
from engagement.storage.db import Database
from engagement.storage.models import DecidimLink
from engagement.storage.tracking_models import Commitment, Milestone


def decidim_results_csv(
    db: Database, by: Principal, program_id: int, host: str, lang: str = "es"
) -> bytes:
    """The results CSV (``;``, UTF-8, no BOM) of the program's live commitments."""
    require(by, program_id, Action.EDIT_TRACKING)
    header = (
        "id",
        "parent/id",
        f"title/{lang}",
        f"description/{lang}",
        "start_date",
        "end_date",
        "progress",
    )
    rows: list[tuple[object, ...]] = []
    with db.reading() as session:
        links = {
            (entity, entity_id): decidim_id
            for entity, entity_id, decidim_id in session.execute(
                select(DecidimLink.entity, DecidimLink.entity_id, DecidimLink.decidim_id).where(
                    DecidimLink.program_id == program_id,
                    DecidimLink.host == host,
                    DecidimLink.resource.in_(("result", "child_result")),
                )
            )
        }
        commitments = session.scalars(
            select(Commitment)
            .where(Commitment.program_id == program_id, Commitment.deleted_at.is_(None))
            .order_by(Commitment.id)
        ).all()
        for row in commitments:
            milestones: list[Milestone] = list(row.milestones)
            own = links.get(("commitment", row.id), "")
            progress = progress_of([m.progress for m in milestones], row.status)
            rows.append(
                (
                    own,
                    "",
                    row.title,
                    row.description or row.title,
                    row.start_on,
                    row.due_on,
                    progress,
                )
            )
            for milestone in milestones:
                child = links.get(("milestone", milestone.id))
                if child and own:
                    rows.append(
                        (
                            child,
                            own,
                            milestone.title,
                            milestone.title,
                            None,
                            milestone.due_on,
                            milestone.progress,
                        )
                    )
    out = io.StringIO(newline="")
    write_csv(out, Table("results", header, rows), delimiter=";", line_end="\n")
    return out.getvalue().encode("utf-8")


def imported_hosts(db: Database, by: Principal, program_id: int) -> list[str]:
    """The Decidim installations the program imported from, sorted (for its members)."""
    require_member(by, program_id)
    with db.reading() as session:
        return sorted(
            session.scalars(
                select(DecidimLink.host).where(DecidimLink.program_id == program_id).distinct()
            )
        )
