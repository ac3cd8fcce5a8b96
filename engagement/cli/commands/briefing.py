"""``briefing``: the printable briefing of a program for the mayor's office, PDF or HTML."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from engagement.cli import Context
from engagement.services.exchange import briefing
from engagement.services.exchange.briefing_export import build_briefing
from engagement.services.exchange.briefing_model import FORMATS, PAPERS


def register(sub: Any) -> None:
    p = sub.add_parser("briefing", help="printable briefing of a program (PDF or HTML)")
    p.add_argument("--program", required=True, help="program name")
    p.add_argument("--stage", help="only this stage (its name in either language, or its key)")
    p.add_argument("--snapshot", help="the coalition as this snapshot froze it (its name)")
    # Checked by the handler, so a wrong value gets a translated message.
    p.add_argument("--lang", dest="briefing_lang", help="es or en (default: the CLI's language)")
    p.add_argument("--format", dest="fmt", default="pdf", help="pdf (default) or html")
    p.add_argument("--paper", default="a4", help="a4 (default) or letter")
    p.add_argument("--presentation", action="store_true", help="citizens as stand-ins")
    p.add_argument("--today", type=dt.date.fromisoformat, help="as of YYYY-MM-DD")
    p.add_argument("--output", required=True, type=Path, help="file to write")
    p.set_defaults(handler=write_briefing)


def write_briefing(args: argparse.Namespace, ctx: Context) -> int:
    lang = args.briefing_lang or ctx.lang
    for value, allowed, key in (
        (lang, ("es", "en"), "briefing.cli.bad_lang"),
        (args.fmt, FORMATS, "briefing.cli.bad_format"),
        (args.paper, PAPERS, "briefing.cli.bad_paper"),
    ):
        if value not in allowed:
            ctx.say(key, value=value)
            return 2
    db = ctx.db()
    program, stage_id, snapshot_id = briefing.find_scope(
        db, ctx.user, args.program, args.stage, args.snapshot
    )
    name, data, _mime = build_briefing(
        db, ctx.user, program.id, fmt=args.fmt, paper=args.paper, lang=lang,
        stage_id=stage_id, snapshot_id=snapshot_id, presentation=args.presentation,
        today=args.today,
    )  # fmt: skip
    del name
    args.output.write_bytes(data)
    ctx.say("briefing.cli.written", path=args.output)
    return 0
