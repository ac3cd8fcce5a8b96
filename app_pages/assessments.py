"""Assessments: record several actors at once during a mentoring call, and see how one
actor's scores moved over time."""

import datetime as dt

import streamlit as st

from engagement.errors import EngagementError, ValidationFailed
from engagement.services.registry import assessments
from engagement.ui import context
from engagement.ui.feedback import show_error, show_flash
from engagement.ui.i18n import label, tr
from engagement.ui.registry import assessment_grid as grid
from engagement.ui.registry import score_history
from engagement.ui.sidebar import require_program

st.title(tr("assessments.title"))
show_flash()
program_id = require_program()
program = context.program(program_id)
if program.illustrative:
    st.info(tr("app.illustrative"), icon=":material/info:")
actors = context.frame(program_id, "actors")
history = context.frame(program_id, "assessments")
if actors.empty:
    st.info(tr("assessments.no_actors"))
    st.page_link("app_pages/actors.py", label=tr("nav.actors"), icon=":material/groups:")
    st.stop()

reason = grid.read_only_reason(program_id)
if reason:  # viewers, facilitators, presentation mode: the history only
    st.info(tr(reason), icon=":material/lock:")
    history_tab = st.container()
else:
    record_tab, history_tab = st.tabs([tr("assessments.tab.record"), tr("assessments.tab.history")])
    with record_tab:
        st.caption(tr("assessments.record.intro"))
        stages = {s.id: label(s) for s in program.stages}
        left, middle, right = st.columns(3)
        stage_id = left.selectbox(
            tr("field.stage"),
            options=list(stages),
            index=grid.stage_index(program, history),
            format_func=stages.__getitem__,
            key="assess.stage",
        )
        with left:
            grid.closed_stage_note(program, stage_id)
        today = dt.date.today()
        assessed_on = middle.date_input(
            tr("field.assessed_on"),
            value=today,
            max_value=today,
            format="DD/MM/YYYY",
            key="assess.date",
        )
        assessor = right.text_input(
            tr("field.assessor"), value=context.current_user().username, key="assess.assessor"
        )
        chosen = grid.choose_actors(actors, program)
        if not chosen:
            st.info(tr("assessments.pick_first"), icon=":material/touch_app:")
            grid.show_saved()
        else:
            base = grid.grid_frame(actors, history, chosen, program)
            edited = grid.render_grid(base)
            rows = grid.rows_to_record(base, edited)
            names = ", ".join(str(base.at[r, "actor"]) for r in rows)
            st.caption(
                tr("assessments.will_record", names=names) if rows else tr("assessments.nothing")
            )
            save = st.button(
                tr(
                    "assessments.save" + {0: ".none", 1: ".one"}.get(len(rows), ""), count=len(rows)
                ),
                type="primary",
                disabled=not rows,
                icon=":material/save:",
                key="assess.save",
            )
            grid.show_saved()
            if save and isinstance(assessed_on, dt.date):
                items = grid.assessment_inputs(edited, rows, stage_id, assessed_on, assessor)
                try:
                    assessments.record_assessments(
                        context.database(), context.current_user(), program_id, items
                    )
                except ValidationFailed as error:
                    grid.show_row_problems(error, base, rows)
                except EngagementError as error:
                    show_error(error)
                else:
                    grid.saved(
                        tr(
                            "assessments.saved" + (".one" if len(items) == 1 else ""),
                            count=len(items),
                            stage=stages[stage_id],
                            day=f"{assessed_on:%d/%m/%Y}",
                        )
                    )
                    grid.reset_grid()
                    st.rerun()

with history_tab:
    st.caption(tr("assessments.history.intro"))
    actor_id = score_history.choose_actor(actors, history)
    own = history[history["actor_id"] == actor_id]
    if own.empty:
        st.info(tr("assessments.history.empty"))
    else:
        st.markdown(score_history.movement(own))
        st.plotly_chart(
            score_history.history_chart(own, program),
            key="assess.history_chart",
            config={"displaylogo": False},
        )
        st.dataframe(
            score_history.history_table(own, program), hide_index=True, key="assess.history_table"
        )
