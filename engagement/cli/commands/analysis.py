"""``metrics``: one row per actor with every network measure, community and brokerage."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
from typing import Any

import pandas as pd

from engagement.cli import Context
from engagement.io.writers import Table, write_csv
from engagement.services.coalition import network
from engagement.services.registry import programs
from engagement.services.view import program_view

FORMATS = ("csv", "json")


def register(sub: Any) -> None:
    p = sub.add_parser(
        "metrics", help="network measures of every actor of a program (CSV or JSON on stdout)"
    )
    p.add_argument("--program", required=True, help="program name")
    p.add_argument("--format", choices=FORMATS, default="csv", help="output format (default csv)")
    p.add_argument(
        "--date", type=dt.date.fromisoformat, help="only ties valid on this date, YYYY-MM-DD"
    )
    p.set_defaults(handler=print_metrics)


def print_metrics(args: argparse.Namespace, ctx: Context) -> int:
    db = ctx.db()
    program = programs.find_program(db, args.program)
    view = program_view(db, ctx.user, program.id, lang=ctx.lang)
    table = view.measures(on_date=args.date)
    records = [
        {column: _plain(value) for column, value in row.items()} for row in table.to_dict("records")
    ]
    if args.format == "json":
        json.dump(records, ctx.out, ensure_ascii=False, indent=1)
        print(file=ctx.out)
        return 0
    rows = [list(record.values()) for record in records]
    write_csv(ctx.out, Table("metrics", tuple(network.ACTOR_MEASURE_COLUMNS), rows), line_end="\n")
    return 0


def _plain(value: Any) -> Any:
    """JSON-ready: numpy scalars to Python, NaN and NA to None, floats rounded to 6 places."""
    if hasattr(value, "item"):
        value = value.item()
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return round(value, 6) if isinstance(value, float) else value
