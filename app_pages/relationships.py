"""Ties: who collaborates with, funds, oversees, influences or opposes whom.

Storyboard: add form → filters → the tie table (or deleted ties to restore) → the chosen
tie, to edit or delete.
"""

import streamlit as st

from engagement.ui import context, forms, state
from engagement.ui.i18n import tr
from engagement.ui.markup import escape_markdown
from engagement.ui.registry import tie_forms, tie_views
from engagement.ui.rights import registry_rights
from engagement.ui.sidebar import require_program
from engagement.ui.tables import filter_ties, tag_options, tie_label

st.title(tr("relationships.title"))
st.caption(tr("relationships.intro"))
forms.show_outcome()
program_id = require_program()
program = context.program(program_id)
registry = context.frame(program_id, "actors")
ties = context.frame(program_id, "ties")
if len(registry) < 2:
    st.info(tr("relationships.need_two_actors"), icon=":material/group_add:")
    st.page_link("app_pages/actors.py", label=tr("nav.actors"), icon=":material/groups:")
    st.stop()
names = dict(zip(registry["id"].astype(int), registry["name"], strict=True))
tags = tag_options(ties)
rights = registry_rights(program_id)
if not rights.edit_ties:
    st.info(tr(rights.read_only_reason or "actors.read_only.role"), icon=":material/visibility:")
else:
    with st.expander(
        tr("relationships.add.title"), icon=":material/add_link:", expanded=ties.empty
    ):
        tie_forms.add_tie_form(program, names, tags)

wanted, show_deleted = tie_views.tie_filters(program, registry)
if show_deleted:
    with st.spinner(tr("app.working")):
        deleted = context.frame(program_id, "deleted_ties")
    shown = filter_ties(deleted, wanted)
    tie_views.deleted_ties(shown, len(deleted), program, registry, restore=rights.edit_ties)
    st.stop()

shown = filter_ties(ties, wanted)
showing = tr("common.showing", shown=len(shown), total=len(ties))
st.caption(f"{showing} · {tr('relationships.table_hint')}")
tie_views.tie_table(shown, program, registry)

st.divider()
tie_id = tie_views.choose_tie(shown, ties, program)
if tie_id is None:
    st.caption(tr("relationships.hint"))
    st.stop()

tie = ties[ties["id"] == tie_id].iloc[0].to_dict()
description = tie_label(tie, program, state.lang())
left, right = st.columns([4, 1], vertical_alignment="center")
left.markdown(f"#### {escape_markdown(description)}")
if tie["negative"]:
    st.caption(tr("relationships.negative_note"))
if rights.edit_ties:
    with right:
        tie_forms.delete_controls(tie, description)
    tie_forms.edit_tie_form(program, names, tie, tags)
else:
    tie_views.tie_facts(tie)
