"""Network map: who is tied to whom, coloured and sized, filtered, with the actor panel."""

import streamlit as st

from engagement.services.coalition import maps
from engagement.ui import context
from engagement.ui.coalition import analysis_tables, network_views
from engagement.ui.coalition.coalition_data import coalition_frame
from engagement.ui.coalition.network_component import preload_code, render_network
from engagement.ui.feedback import show_flash
from engagement.ui.i18n import tr
from engagement.ui.registry.actor_panel import render_actor_panel
from engagement.ui.sidebar import require_program

st.title(tr("network.title"))
preload_code()
show_flash()
program_id = require_program()
program = context.program(program_id)
st.caption(tr("network.caption"))

actors = coalition_frame(program_id)
if actors.empty:
    st.info(tr("network.no_actors"), icon=":material/info:")
    st.page_link("app_pages/actors.py", label=tr("nav.actors"), icon=":material/groups:")
    st.stop()

filters, style = network_views.render_controls(program, actors)
drawing = network_views.map_view(program, filters, style)
view = drawing.view
network_views.render_summary(view)
editable = maps.can_arrange(context.current_user(), program_id)

# The map takes the page's whole width (and the window's height); the actor chosen on
# it opens below, so that neither halves the other at a laptop's width.
if not view.nodes:
    st.info(tr("network.empty"), icon=":material/filter_alt_off:")
else:
    event = render_network(network_views.payload(drawing, editable))
    network_views.handle_event(program_id, event)
    network_views.render_legend(view)

picker, hint = st.columns([2, 3], vertical_alignment="bottom")
with picker:
    actor_id = network_views.render_chooser(view)
if actor_id is None:
    hint.caption(tr("network.click_hint"))
else:
    render_actor_panel(program_id, actor_id)
if view.nodes:
    network_views.render_arrangement(program_id, view, editable)
    network_views.render_downloads(program, view)

st.header(tr("analysis_ui.title"))
analysis_tables.render_analysis(program_id)
