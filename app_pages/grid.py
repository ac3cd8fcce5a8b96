"""Power / interest grid: where each actor stands, how it moved, salience and engagement gaps."""

import streamlit as st

from engagement.analysis import grid
from engagement.ui import context
from engagement.ui.coalition import grid_chart, grid_views
from engagement.ui.coalition.coalition_data import coalition_frame, network_measures
from engagement.ui.feedback import show_flash
from engagement.ui.i18n import tr
from engagement.ui.registry.actor_panel import render_actor_panel
from engagement.ui.sidebar import require_program

st.title(tr("grid.title"))
show_flash()
program_id = require_program()
program = context.program(program_id)
st.caption(tr("grid.caption", threshold=program.power_threshold))

registry = coalition_frame(program_id)
if registry.empty:
    st.info(tr("grid.no_actors"), icon=":material/info:")
    st.page_link("app_pages/actors.py", label=tr("nav.actors"), icon=":material/groups:")
    st.stop()

filters = grid_views.render_filters(program, registry)
now = filters.apply(coalition_frame(program_id, stage_id=filters.stage_id))
placed = grid.place_actors(now, program.power_threshold)
view = grid_views.render_view_choice()

# The chart and tables take the page's width; the chosen actor's panel comes below.
picked = None
panel_stage = filters.stage_id
if view == "grid":
    if placed.empty:
        st.info(tr("grid.empty"), icon=":material/filter_alt_off:")
    else:
        measures = network_measures(program_id)
        picked = grid_chart.render_grid(program, placed, measures, filters.stage_id)
    unassessed = now[~grid.is_assessed(now)]
    if not unassessed.empty:
        st.caption(
            tr("grid.unassessed", count=len(unassessed), names=", ".join(unassessed["name"]))
        )
elif view == "movement":
    st.caption(tr("grid.movement.intro"))
    since = grid_views.render_comparison(program, filters.stage_id)
    earlier = filters.apply(coalition_frame(program_id, stage_id=since.stage_id, as_of=since.as_of))
    moves = grid.movement(earlier, now, program.power_threshold)
    if moves.empty:
        st.info(tr("grid.empty"), icon=":material/filter_alt_off:")
    else:
        picked = grid_chart.render_movement_chart(program, moves, since.label(program))
        grid_views.render_movement_table(moves, program)
elif view == "salience":
    grid_views.render_salience(now, program.power_threshold)
else:
    picked = grid_views.render_gaps(now, program, filters.stage_id)

actor_id = grid_views.render_chooser(now, picked)
if actor_id is not None:
    render_actor_panel(program_id, actor_id, panel_stage)
