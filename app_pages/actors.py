"""Actors: find, add, edit, delete and restore the actors of the chosen program.

Storyboard: what this user may do → add form → filters → the registry (table, quick
edits or deleted actors) → the chosen actor's profile (personal data, edit, delete,
assessment history, ties).
"""

import streamlit as st

from engagement.ui import context, forms
from engagement.ui.i18n import tr
from engagement.ui.markup import escape_markdown
from engagement.ui.registry import actor_detail, actor_forms, actor_views
from engagement.ui.registry.quick_edit import quick_edit
from engagement.ui.rights import registry_rights
from engagement.ui.sidebar import require_program
from engagement.ui.tables import actor_from_row, filter_actors, tag_options

st.title(tr("actors.title"))
st.caption(tr("actors.intro"))
forms.show_outcome()
program_id = require_program()
program = context.program(program_id)
rights = registry_rights(program_id)
registry = context.frame(program_id, "actors")
deleted = context.frame(program_id, "deleted_actors")
history = context.frame(program_id, "assessments")
tags = tag_options(registry)
if rights.read_only_reason:
    st.info(tr(rights.read_only_reason), icon=":material/visibility:")

if rights.add_actor:
    with st.expander(tr("actors.add.title"), icon=":material/person_add:", expanded=registry.empty):
        actor_forms.add_actor_form(program, tags, personal=rights.see_personal)

wanted = actor_views.actor_filters(registry, program)
view = actor_views.choose_view(editable=rights.edit_ties)
if view == "deleted":
    shown = filter_actors(deleted, wanted)
    actor_views.deleted_actors(shown, len(deleted), history, program, restore=rights.edit_ties)
    st.stop()

shown = filter_actors(registry, wanted)
showing = tr("common.showing", shown=len(shown), total=len(registry))
st.caption(showing if view == "quick" else f"{showing} · {tr('actors.table_hint')}")
if view == "quick":
    quick_edit(shown, program)
else:
    actor_views.actor_table(shown, history, program)

st.divider()
actor_id = actor_views.choose_actor(registry)
if actor_id is None:
    st.caption(tr("actors.detail.hint"))
    st.stop()

with st.spinner(tr("app.working")):
    actor = actor_from_row(registry[registry["id"] == actor_id].iloc[0], program_id)
    actor_history = history[history["actor_id"] == actor_id]
    ties = context.frame(program_id, "ties")
n_ties = int(((ties["source_id"] == actor_id) | (ties["target_id"] == actor_id)).sum())

left, right = st.columns([3, 2], gap="large")
with left:
    actor_detail.profile(actor, program)
with right:
    actor_detail.personal_data(actor, visible=rights.see_personal)
    if rights.may_edit_actor(actor.id):
        actor_detail.delete_controls(actor, len(actor_history), n_ties)

if rights.may_edit_actor(actor.id):
    title = tr("actors.edit.title", name=escape_markdown(actor.name))
    with st.expander(title, icon=":material/edit:"):
        actor_forms.edit_actor_form(program, actor, tags, personal=rights.see_personal)

history_tab, ties_tab = st.tabs(
    [tr("actors.detail.history", count=len(actor_history)), tr("actors.detail.ties", count=n_ties)]
)
with history_tab:
    actor_detail.history(actor_history, program)
with ties_tab:
    actor_detail.ties(ties, actor, program)
