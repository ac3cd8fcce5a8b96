"""The ``import`` command for a Decidim open-data ZIP (``<host>-open-data.zip``).

``import`` hands a ZIP over here when it holds Decidim's ``*-open-data-*.csv`` entries.
The preview lists new / updated / unchanged / skipped per resource with why each row
was skipped, conflicts with edits made in Tejido, organisations not in the registry
(created only with ``--create-missing``) and answer states that need ``--map-state``.
"""

from __future__ import annotations

import argparse
from collections import Counter

from engagement.cli import Context
from engagement.errors import Problem, ValidationFailed
from engagement.i18n import t
from engagement.io.decidim_zip import looks_like_decidim, read_decidim_zip
from engagement.model import ProgramInfo
from engagement.services.exchange.decidim_import import preview_decidim_import
from engagement.services.exchange.decidim_plan import (
    OUTCOMES,
    DecidimOptions,
    DecidimPlan,
    plan_notes,
)
from engagement.services.exchange.decidim_write import apply_decidim_import
from engagement.services.registry import programs
from engagement.services.registry.terms import match_term
from engagement.values import InputResponse


def holds_decidim(found: list[tuple[str, bytes]]) -> bool:
    """One ZIP with Decidim entries, or named as Decidim names its download."""
    if len(found) != 1:
        return False
    name, data = found[0]
    return looks_like_decidim(name, data) or name.lower().endswith("-open-data.zip")


def state_choices(pairs: list[str]) -> dict[str, str]:
    """``--map-state aceptada_parcialmente=partly_accepted`` pairs as a dict."""
    chosen: dict[str, str] = {}
    for pair in pairs:
        state, _, response = pair.partition("=")
        if response not in InputResponse.values():
            known = ", ".join(InputResponse.values())
            raise ValidationFailed(
                [Problem("map_state", "not_in_list_of", {"value": response, "known": known})]
            )
        chosen[state.strip()] = response
    return chosen


def import_decidim(args: argparse.Namespace, ctx: Context, found: list[tuple[str, bytes]]) -> int:
    db = ctx.db()
    program = programs.find_program(db, args.program)
    export = read_decidim_zip(*found[0])
    options = DecidimOptions(
        lang=ctx.lang,
        stage_id=_stage(program, getattr(args, "stage", None)),
        states=state_choices(getattr(args, "map_state", None) or []),
    )
    preview = preview_decidim_import(db, ctx.user, program.id, export, options)
    print_plan(preview.plan, ctx, program.name)
    create = bool(getattr(args, "create_missing", False))
    if preview.plan.unmapped_states:
        ctx.say("decidim.cli.unmapped_refused")
        return 1
    if preview.plan.missing_actors and not create:
        ctx.say("decidim.cli.missing_refused")
        return 1
    if args.dry_run:
        ctx.say("io.cli.dry_run")
        return 0
    outcome = apply_decidim_import(
        db, ctx.user, program.id, export, options, create_missing=create, preview=preview
    )
    ctx.say("io.cli.written")
    print_counts(outcome.counts, ctx)
    ctx.say("io.cli.applied", batch=outcome.batch_id)
    return 0


def _stage(program: ProgramInfo, name: str | None) -> int | None:
    if not name:
        return None
    found = match_term(program.stages, name)
    if found is None:
        raise ValidationFailed([Problem("stage", "not_in_list", {"value": name})])
    return found.id


def print_counts(rows: list[dict[str, object]], ctx: Context) -> None:
    heads = [t(f"decidim.count.{k}", ctx.lang) for k in OUTCOMES]
    sizes = [max(len(h), 6) + 2 for h in heads]
    labels = {str(r["resource"]): t(f"decidim.resource.{r['resource']}", ctx.lang) for r in rows}
    width = max(len(v) for v in labels.values()) + 2
    print(
        " " * width + "".join(f"{h:>{n}}" for h, n in zip(heads, sizes, strict=True)), file=ctx.out
    )
    for row in rows:
        numbers = "".join(f"{row[k]:>{n}}" for k, n in zip(OUTCOMES, sizes, strict=True))
        print(f"{labels[str(row['resource'])]:<{width}}{numbers}", file=ctx.out)


def print_plan(plan: DecidimPlan, ctx: Context, program: str) -> None:
    ctx.say("decidim.cli.preview", program=program, host=plan.host, release=plan.release)
    print_counts(plan.counts(), ctx)
    for note in plan_notes(plan):
        print(f"  * {t(note[0], ctx.lang, **note[1])}", file=ctx.out)
    reasons = Counter((s.resource, s.reason) for s in plan.skipped)
    for (resource, reason), count in sorted(reasons.items()):
        ids = ", ".join(
            s.decidim_id for s in plan.skipped if (s.resource, s.reason) == (resource, reason)
        )
        print(
            "  - "
            + t(
                "decidim.cli.skipped",
                ctx.lang,
                resource=t(f"decidim.resource.{resource}", ctx.lang),
                reason=t(f"decidim.skip.{reason}", ctx.lang),
                count=count,
                ids=ids[:300],
            ),
            file=ctx.out,
        )
    for row in plan.conflicts:
        for name, (now, new) in row.conflicts.items():
            print(
                "  ! "
                + t(
                    "decidim.cli.conflict",
                    ctx.lang,
                    resource=t(f"decidim.resource.{row.resource}", ctx.lang),
                    id=row.decidim_id,
                    field=name,
                    tejido=now,
                    decidim=new,
                ),
                file=ctx.out,
            )
    for name, near in plan.missing_actors.items():
        key = "decidim.cli.missing_near" if near else "decidim.cli.missing"
        print("  ? " + t(key, ctx.lang, name=name, near=", ".join(near)), file=ctx.out)
    for state, count in plan.unmapped_states.items():
        print(
            "  ? " + t("decidim.cli.unmapped_state", ctx.lang, state=state, count=count),
            file=ctx.out,
        )
