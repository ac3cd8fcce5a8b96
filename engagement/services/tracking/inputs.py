"""Inputs and proposals received, and the program's reasoned response (OGP standard 4).

An input counts as answered when its response is accepted, partly accepted or rejected,
with the reasoning written down. "Under review" is a response in progress: the input is
still waiting.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, replace

import pandas as pd
from sqlalchemy.orm import Session

from engagement.errors import NotFound, Problem, ValidationFailed
from engagement.model import Principal
from engagement.services import audit, validation
from engagement.services.access.permissions import Action, require
from engagement.services.concurrency import check_version
from engagement.storage.db import Database
from engagement.storage.models import Actor, Stage
from engagement.storage.queries import tracking as stored
from engagement.storage.tracking_models import Activity, Input
from engagement.tracking import InputInfo, InputInput
from engagement.values import InputResponse

ANSWERED = ("accepted", "partly_accepted", "rejected")


def is_answered(response: str | None, reasoning: str) -> bool:
    """A reasoned response: a final decision with its reasoning written down."""
    return response in ANSWERED and bool((reasoning or "").strip())


def clean_input(item: InputInput, row: int | None = None) -> tuple[InputInput, list[Problem]]:
    cleaned = replace(item, text=(item.text or "").strip(), topic=(item.topic or "").strip())
    problems = validation.text_rule("text", cleaned.text, required=True, max_len=10000)
    problems += validation.text_rule("topic", cleaned.topic)
    if not isinstance(cleaned.received_on, dt.date):
        problems.append(Problem("received_on", "required"))
    else:
        problems += validation.date_rule("received_on", cleaned.received_on, not_future=True)
    return cleaned, [Problem(p.field, p.code, p.params, row=row) for p in problems]


def _ref_problems(session: Session, program_id: int, item: InputInput) -> list[Problem]:
    problems = []
    if item.actor_id is not None:
        actor = session.get(Actor, item.actor_id)
        if actor is None or actor.program_id != program_id or actor.deleted_at is not None:
            problems.append(Problem("actor", "unknown_actor", {"value": item.actor_id}))
    if item.activity_id is not None:
        activity = session.get(Activity, item.activity_id)
        if activity is None or activity.program_id != program_id:
            problems.append(Problem("activity", "not_in_list", {"value": item.activity_id}))
    if item.stage_id is not None:
        stage = session.get(Stage, item.stage_id)
        if stage is None or stage.program_id != program_id:
            problems.append(Problem("stage", "not_in_list", {"value": item.stage_id}))
    return problems


def _with_stage(session: Session, item: InputInput) -> InputInput:
    """An input received in an activity belongs to the activity's stage unless told."""
    if item.stage_id is None and item.activity_id is not None:
        activity = session.get(Activity, item.activity_id)
        if activity is not None:
            return replace(item, stage_id=activity.stage_id)
    return item


def insert_input(
    session: Session, by: Principal, program_id: int, item: InputInput, batch_id: int | None = None
) -> Input:
    cleaned, problems = clean_input(item)
    problems += _ref_problems(session, program_id, cleaned)
    if problems:
        raise ValidationFailed(problems)
    cleaned = _with_stage(session, cleaned)
    row = Input(program_id=program_id, **asdict(cleaned))
    session.add(row)
    session.flush()
    audit.record(session, by, program_id, "input", row.id, "create", asdict(cleaned), batch_id)
    return row


def add_input(db: Database, by: Principal, program_id: int, item: InputInput) -> InputInfo:
    require(by, program_id, Action.EDIT_TRACKING)
    with db.writing() as session:
        return stored.input_info(insert_input(session, by, program_id, item))


def update_input(
    db: Database, by: Principal, input_id: int, item: InputInput, expected_version: int | None
) -> InputInfo:
    with db.writing() as session:
        row = _live(session, input_id)
        require(by, row.program_id, Action.EDIT_TRACKING)
        check_version(session, "input", row.id, row.text[:60], row.version, expected_version)
        cleaned, problems = clean_input(item)
        problems += _ref_problems(session, row.program_id, cleaned)
        if problems:
            raise ValidationFailed(problems)
        new = asdict(_with_stage(session, cleaned))
        changes = audit.diff({k: getattr(row, k) for k in new}, new)
        for key in changes:
            setattr(row, key, new[key])
        if changes:
            session.flush()
            audit.record(session, by, row.program_id, "input", row.id, "update", changes)
        return stored.input_info(row)


def response_problems(
    response: str | None, reasoning: str, responded_on: dt.date | None, received_on: dt.date
) -> list[Problem]:
    if InputResponse.parse(response) is None:
        return [Problem("response", "not_in_list", {"value": response})]
    problems = validation.text_rule("reasoning", reasoning, max_len=10000)
    if response in ANSWERED and not reasoning.strip():
        problems.append(Problem("reasoning", "reasoning_required"))
    if responded_on is None:
        problems.append(Problem("responded_on", "required"))
    else:
        problems += validation.date_rule("responded_on", responded_on, not_future=True)
        if responded_on < received_on:
            problems.append(Problem("responded_on", "before_received"))
    return problems


def respond_to_input(
    db: Database,
    by: Principal,
    input_id: int,
    response: str,
    reasoning: str,
    responded_on: dt.date | None,
    expected_version: int | None,
) -> InputInfo:
    """Record the response to an input and its reasoning (required unless under review)."""
    with db.writing() as session:
        row = _live(session, input_id)
        require(by, row.program_id, Action.EDIT_TRACKING)
        check_version(session, "input", row.id, row.text[:60], row.version, expected_version)
        apply_response(session, by, row, response, reasoning, responded_on)
        return stored.input_info(row)


def apply_response(
    session: Session,
    by: Principal,
    row: Input,
    response: str,
    reasoning: str,
    responded_on: dt.date | None,
) -> None:
    """Check and record a response inside an open write transaction."""
    reasoning = (reasoning or "").strip()
    problems = response_problems(response, reasoning, responded_on, row.received_on)
    if problems:
        raise ValidationFailed(problems)
    new = {
        "response": response,
        "reasoning": reasoning,
        "responded_on": responded_on,
        "responded_by": by.username,
    }
    changes = audit.diff({k: getattr(row, k) for k in new}, new)
    for key in changes:
        setattr(row, key, new[key])
    if changes:
        session.flush()
        audit.record(session, by, row.program_id, "input", row.id, "respond", changes)


def delete_input(db: Database, by: Principal, input_id: int) -> None:
    with db.writing() as session:
        row = _live(session, input_id)
        require(by, row.program_id, Action.EDIT_TRACKING)
        audit.mark_deleted(session, by, row, "input", deleted=True)


def restore_input(db: Database, by: Principal, input_id: int) -> InputInfo:
    with db.writing() as session:
        row = session.get(Input, input_id)
        if row is None or row.deleted_at is None:
            raise NotFound(entity="input", key=input_id)
        require(by, row.program_id, Action.EDIT_TRACKING)
        audit.mark_deleted(session, by, row, "input", deleted=False)
        return stored.input_info(row)


def _live(session: Session, input_id: int) -> Input:
    row = session.get(Input, input_id)
    if row is None or row.deleted_at is not None:
        raise NotFound(entity="input", key=input_id)
    return row


#: Columns of a program's inputs as the read layer hands them out.
INPUT_COLUMNS = [*stored.INPUT_COLUMNS[:-1], "answered", "version"]


def with_answers(received: pd.DataFrame) -> pd.DataFrame:
    """The inputs (:func:`engagement.storage.queries.tracking.inputs_frame`) with
    ``answered``: a reasoned response (:func:`is_answered`)."""
    pairs = zip(received["response"], received["reasoning"], strict=True)
    return received.assign(answered=[is_answered(r, why) for r, why in pairs])[INPUT_COLUMNS]


def awaiting(received: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """Inputs (with ``answered``) still waiting for a reasoned response, oldest first, with
    the days each has waited up to ``today`` (the reference date: a program that has
    ended counts to its end). Never negative: an input received after the reference
    date has waited 0 days."""
    waiting = received[~received["answered"].astype(bool)].copy()
    waiting["days_waiting"] = [max((today - d).days, 0) for d in waiting["received_on"]]
    return waiting.sort_values(["received_on", "id"]).reset_index(drop=True)
