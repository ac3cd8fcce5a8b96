"""``report``: the stage dashboard's figures for a program, as JSON or as text."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from typing import Any

from engagement.cli import Context
from engagement.errors import NotFound
from engagement.i18n import t
from engagement.services.registry import programs
from engagement.services.registry.terms import match_term
from engagement.services.tracking import dashboard, ogp
from engagement.services.view import program_view


def register(sub: Any) -> None:
    p = sub.add_parser("report", help="dashboard figures of a program (per stage and overall)")
    p.add_argument("--program", required=True, help="program name")
    p.add_argument("--stage", help="only this stage (its name in either language, or its key)")
    p.add_argument("--format", choices=("json", "text"), default="text")
    p.add_argument("--today", type=dt.date.fromisoformat, help="report as of YYYY-MM-DD")
    p.set_defaults(handler=report)


def report_data(
    ctx: Context, program_name: str, stage_name: str | None, today: dt.date
) -> dict[str, Any]:
    db = ctx.db()
    program = programs.find_program(db, program_name)
    stage = None
    if stage_name:
        stage = match_term(program.stages, stage_name)
        if stage is None:
            raise NotFound(entity="stage", key=stage_name)
    view = program_view(db, ctx.user, program.id, lang=ctx.lang)
    frames = view.tracking_frames()
    figures = dashboard.figures(frames, stage.id if stage else None)
    checklist = view.checklist(ogp.evaluation_date(program, today))
    return {
        "program": program.name,
        "stage": stage.key if stage else None,
        "as_of": today.isoformat(),
        "ogp_as_of": ogp.evaluation_date(program, today).isoformat(),
        **figures.as_dict(),
        "stages": {
            s.key: dashboard.figures(frames, s.id).as_dict() | {"closed_on": _iso(s.closed_on)}
            for s in program.stages
        },
        "ogp_checklist": {item.key: item.status for item in checklist},
    }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def report(args: argparse.Namespace, ctx: Context) -> int:
    data = report_data(ctx, args.program, args.stage, args.today or dt.date.today())
    if args.format == "json":
        print(json.dumps(data, ensure_ascii=False, indent=2), file=ctx.out)
        return 0
    ctx.say("tracking.cli.report_title", program=data["program"], date=data["as_of"])
    for key in (
        "activities", "citizens_involved", "organisations_participating",
        "facilitators_active", "inputs_received", "inputs_answered",
    ):  # fmt: skip
        print(f"  {t(f'tracking.figure.{key}', ctx.lang):<40}{data[key]:>8}", file=ctx.out)
    for status, count in data["commitments"].items():
        label = t(
            "tracking.cli.commitments",
            ctx.lang,
            status=t(f"tracking.commitment_status.{status}", ctx.lang),
        )
        print(f"  {label:<40}{count:>8}", file=ctx.out)
    for item, status in data["ogp_checklist"].items():
        label = t(f"ogp.{item}.title", ctx.lang)
        print(f"  {label:<40}{t(f'ogp.status.{status}', ctx.lang):>8}", file=ctx.out)
    return 0
