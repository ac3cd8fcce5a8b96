"""Widgets of the team page: members and roles, new accounts, personal data, backups."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from engagement.config import load_settings
from engagement.model import Principal
from engagement.services.access import privacy, team, users
from engagement.services.database import holds_sqlite
from engagement.services.exchange import exports
from engagement.services.exchange.daily_backup import backups
from engagement.services.exchange.sqlite_file import copy_database
from engagement.ui import context, state
from engagement.ui.feedback import reporting
from engagement.ui.i18n import tr
from engagement.values import Role

NO_ROLE = "none"
#: The one-time password of the account just created: (username, password, role).
ONE_TIME = "team.one_time"


def role_label(role: str | None) -> str:
    return tr(f"role.{role}") if role and role != NO_ROLE else tr("team.no_role")


def members(user: Principal, program_id: int) -> None:
    st.subheader(tr("team.members"))
    db, version = context.database(), context.accounts_version()
    people = team.team(db, user, program_id, accounts_version=version)
    if people.empty:
        # Never "nobody has a role" beside "your role: Lead": say how this user leads.
        key = "team.no_members_single_user" if user.operator else "pages.team.no_members"
        st.info(tr(key))
    else:
        shown = people.assign(role=people["role"].map(role_label))
        shown.columns = [tr(f"team.col.{c}") for c in shown.columns]
        st.dataframe(shown, hide_index=True, key="team.table")
    joining = team.candidates(db, user, program_id, accounts_version=version)
    choices = sorted(set(people["username"]) | set(joining))
    if not choices:
        return
    with st.form("team.role_form", enter_to_submit=False):
        cols = st.columns(2)
        who = cols[0].selectbox(tr("team.user"), choices, key="team.who")
        roles = {r: role_label(r) for r in (*Role.values(), NO_ROLE)}
        role = cols[1].selectbox(
            tr("field.role"), list(roles), format_func=roles.__getitem__, key="team.role"
        )
        submitted = st.form_submit_button(tr("team.save_role"), type="primary")
    if submitted:
        with reporting():
            users.set_role(db, user, who, program_id, None if role == NO_ROLE else role)
            state.flash("success", tr("team.role_saved", user=who, role=role_label(role)))
            st.rerun()


def new_account(user: Principal, program_id: int) -> None:
    """A new account with a one-time password and, at once, its role in this program.
    The password stays on screen until the lead says it was handed over."""
    st.subheader(tr("team.new_account"))
    st.caption(tr("pages.team.new_account_help"))
    _one_time_password()
    with st.form("team.invite_form", clear_on_submit=True, enter_to_submit=False):
        cols = st.columns(3)
        username = cols[0].text_input(tr("auth.username"), key="team.new_username")
        name = cols[1].text_input(tr("team.display_name"), key="team.new_name")
        roles = {r: role_label(r) for r in (*Role.values(), NO_ROLE)}
        role = cols[2].selectbox(
            tr("field.role"),
            list(roles),
            index=3,
            format_func=roles.__getitem__,
            key="team.new_role",
        )
        submitted = st.form_submit_button(tr("team.create_account"))
    if submitted:
        with reporting():
            db = context.database()
            info, password = users.invite_user(db, user, username, name)
            if role != NO_ROLE:
                users.set_role(db, user, info.username, program_id, role)
            st.session_state[ONE_TIME] = (info.username, password, role_label(role))
            st.rerun()


def _one_time_password() -> None:
    pending = st.session_state.get(ONE_TIME)
    if not isinstance(pending, tuple):
        return
    username, password, role = pending
    with st.container(border=True, key="team.one_time_box"):
        st.success(tr("pages.team.account_created", user=username, role=role))
        st.code(password, language=None)
        st.caption(tr("pages.team.hand_over"))
        if st.button(tr("pages.team.dismiss"), key="team.one_time_done", icon=":material/check:"):
            st.session_state.pop(ONE_TIME, None)
            st.rerun()


def personal_data(user: Principal, program_id: int) -> None:
    st.subheader(tr("team.personal_data"))
    st.caption(tr("team.personal_data_help"))
    registry = context.frame(program_id, "actors")
    if registry.empty:
        return
    names = dict(zip(registry["id"], registry["name"], strict=True))
    chosen = st.selectbox(
        tr("team.person"), list(names), format_func=names.__getitem__, key="team.person"
    )
    db = context.database()

    def report() -> bytes:  # read when the button is clicked, not on every run
        found = privacy.person_report(db, user, int(chosen))
        return json.dumps(found, ensure_ascii=False, indent=1).encode("utf-8")

    st.download_button(
        tr("team.download_person"),
        data=report,
        file_name=f"datos-personales-{chosen}.json",
        mime="application/json",
        key="team.download_person",
        on_click="ignore",
    )
    sure = st.checkbox(tr("team.erase_confirm", name=names[chosen]), key="team.erase_sure")
    if st.button(tr("team.erase"), disabled=not sure, key="team.erase"):
        with reporting():
            privacy.erase_person(db, user, int(chosen))
            state.flash("success", tr("team.erased"))
            st.rerun()


def backup_now(user: Principal, program_id: int) -> None:
    """Backups: the whole database for administrators; a lead gets their program's JSON."""
    st.subheader(tr("team.backups"))
    if not (user.operator or user.admin):
        st.caption(tr("reading.backup_admin_only"))
        program_backup(user, program_id)
        return
    db = context.database()
    if not holds_sqlite(db):
        st.info(tr("team.backups_postgres"))
        return
    folder = load_settings().data_dir / "backups"
    kept = backups(folder)
    if kept:
        st.caption(
            tr("team.backups_kept", count=len(kept), latest=kept[0].name, folder=str(folder))
        )
    if st.button(tr("team.make_backup"), key="team.make_backup"):
        with reporting(), st.spinner(tr("team.backing_up")), tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / "tejido-backup.db"
            copy_database(db, user, target)
            st.session_state["team.backup_bytes"] = target.read_bytes()
    data = st.session_state.get("team.backup_bytes")
    if isinstance(data, bytes):
        st.download_button(
            tr("team.download_backup"),
            data=data,
            file_name=f"tejido-{pd.Timestamp.now():%Y%m%d-%H%M}.db",
            mime="application/vnd.sqlite3",
            key="team.download_backup",
        )


def program_backup(user: Principal, program_id: int) -> None:
    """The program's JSON backup, made when the button is clicked."""
    db, lang = context.database(), state.lang()
    stem = exports.file_stem(context.program(program_id).name, lang)

    def make() -> bytes:
        return exports.export_program(db, program_id, "json", by=user, lang=lang)[1]

    st.download_button(
        tr("reading.download_program_backup"),
        data=make,
        file_name=f"{stem}.json",
        mime=exports.JSON_MIME,
        key="team.download_program_backup",
        on_click="ignore",
    )
