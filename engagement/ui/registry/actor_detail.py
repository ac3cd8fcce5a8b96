"""One actor's detail: profile, personal data, assessment history, ties, delete."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from engagement.model import ActorInfo, ProgramInfo
from engagement.services.registry import actors
from engagement.ui import context, forms, state
from engagement.ui.feedback import show_error
from engagement.ui.i18n import label, tr
from engagement.ui.markup import escape_markdown
from engagement.ui.registry import score_history
from engagement.ui.rights import tracking_rights
from engagement.ui.tables import actor_ties

DELETE = "actors.delete"
CONFIRM = "actors.delete_confirm"
CANCEL = "actors.delete_cancel"
_ASKING = "actors.delete_asking"


def _md(text: str) -> str:
    return escape_markdown(str(text))


def profile(actor: ActorInfo, program: ProgramInfo) -> None:
    """Name, sector, territory, tags, description and the non-personal fields."""
    sector = next((label(s) for s in program.sectors if s.id == actor.sector_id), None)
    st.subheader(actor.name, anchor=False)
    facts = [sector or tr("actors.no_sector"), actor.territory, ", ".join(actor.tags)]
    st.caption(" · ".join(_md(f) for f in facts if f))
    if actor.confidentiality == "restricted":
        st.warning(tr("actors.detail.restricted"), icon=":material/lock:")
    if actor.description:
        st.markdown(_md(actor.description))
    rows = {
        tr("field.website"): actor.website or "—",
        tr("field.last_verified"): f"{actor.last_verified:%d/%m/%Y}"
        if actor.last_verified
        else "—",
        tr("field.confidentiality"): tr(f"confidentiality.{actor.confidentiality}"),
        tr("field.external_id"): actor.external_id or "—",
    }
    rows |= {str(k): _plain(v) for k, v in sorted(actor.custom_fields.items())}
    st.dataframe(
        pd.DataFrame({"field": list(rows), "value": list(rows.values())}),
        hide_index=True,
        column_config={"field": tr("actors.detail.field"), "value": tr("actors.detail.value")},
        key="actors.detail_fields",
    )


def _plain(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return "—" if value is None or value == "" else str(value)


def personal_data(actor: ActorInfo, *, visible: bool) -> None:
    """Contact details, clearly marked as personal data, with the consent flag."""
    with st.container(border=True, key="actors.personal"):
        st.markdown(f":material/shield_person: **{tr('actors.personal.title')}**")
        if not visible:
            st.caption(tr("actors.personal.hidden"))
            return
        st.caption(tr("actors.personal.help"))
        has_contact = any((actor.contact_name, actor.contact_email, actor.contact_phone))
        if not has_contact:
            st.markdown(tr("actors.personal.none"))
        for name in ("contact_name", "contact_email", "contact_phone"):
            value = getattr(actor, name)
            if value:
                st.markdown(f"{tr(f'field.{name}')}: {_md(value)}")
        consent = tr("common.yes") if actor.consent_to_contact else tr("common.no")
        st.markdown(f"{tr('field.consent_to_contact')}: **{consent}**")
        if has_contact and not actor.consent_to_contact:
            st.warning(tr("actors.personal.no_consent"), icon=":material/do_not_disturb_on:")


def history(actor_history: pd.DataFrame, program: ProgramInfo) -> None:
    """The actor's assessments: how its scores moved, as a chart and a table."""
    if actor_history.empty:
        st.info(tr("actors.detail.no_history"), icon=":material/fact_check:")
        if tracking_rights(program.id).assess:
            st.page_link("app_pages/assessments.py", label=tr("actors.detail.go_assess"),
                         icon=":material/fact_check:")  # fmt: skip
        return
    st.markdown(escape_markdown(score_history.movement(actor_history)))
    chart = score_history.history_chart(actor_history, program)
    # Smaller than on the assessments page: here it is one part of a profile.
    chart.update_layout(height=380)
    st.plotly_chart(
        chart,
        key="actors.detail_chart",
        config={"displaylogo": False},
    )
    st.dataframe(
        score_history.history_table(actor_history, program),
        hide_index=True,
        key="actors.detail_history",
    )


def ties(all_ties: pd.DataFrame, actor: ActorInfo, program: ProgramInfo) -> None:
    """The actor's ties: which way, with whom, what kind, how strong, since when."""
    mine = actor_ties(all_ties, actor.id, program, state.lang())
    if mine.empty:
        st.info(tr("actors.detail.no_ties"), icon=":material/share:")
    else:
        cc = st.column_config
        st.dataframe(
            mine,
            hide_index=True,
            key="actors.detail_ties",
            column_config={
                "way": cc.TextColumn("", width="small", help=tr("actors.detail.way_help")),
                "other": tr("actors.detail.other"),
                "tie_type": tr("field.tie_type"),
                "strength": cc.NumberColumn(tr("field.strength"), format="%d"),
                "negative": cc.CheckboxColumn(tr("field.negative")),
                "valid_from": cc.DateColumn(tr("field.valid_from"), format="DD/MM/YYYY"),
                "valid_to": cc.DateColumn(tr("field.valid_to"), format="DD/MM/YYYY"),
            },
        )
    st.page_link(
        "app_pages/relationships.py", label=tr("actors.detail.go_ties"), icon=":material/share:"
    )


def delete_controls(actor: ActorInfo, n_assessments: int, n_ties: int) -> None:
    """Delete with a confirmation that says what is kept and how to undo it."""
    error = forms.pop_error(DELETE)
    if error is not None:
        show_error(error)
    if st.session_state.get(_ASKING) != actor.id:
        st.button(tr("actors.delete.ask"), key=DELETE, icon=":material/delete:",
                  on_click=_ask, args=(actor.id,))  # fmt: skip
        return
    with st.container(border=True, key="actors.delete_box"):
        st.warning(
            tr("actors.delete.confirm_text", name=_md(actor.name), assessments=n_assessments,
               ties=n_ties),
            icon=":material/warning:",
        )  # fmt: skip
        cols = st.columns([1, 1, 3])
        cols[0].button(tr("actors.delete.confirm"), key=CONFIRM, type="primary",
                       on_click=_delete, args=(actor.id, actor.version, actor.name))  # fmt: skip
        cols[1].button(tr("common.cancel"), key=CANCEL, on_click=_ask, args=(None,))


def _ask(actor_id: int | None) -> None:
    st.session_state[_ASKING] = actor_id


def _delete(actor_id: int, version: int, name: str) -> None:
    st.session_state[_ASKING] = None

    def save() -> str:
        actors.delete_actor(context.database(), context.current_user(), actor_id, version)
        st.session_state[state.SELECTED_ACTOR] = None
        return tr("actors.deleted", name=name)

    forms.run_save(DELETE, save)
