"""Import and export: bring actors, ties and assessments in from a spreadsheet (our
template or Kumu) after a preview, undo a recent import, and download templates and
exports of the program."""

import streamlit as st

from engagement.config import load_settings
from engagement.ui import context, state
from engagement.ui.data import decidim_widgets, export_widgets, import_widgets
from engagement.ui.feedback import show_flash
from engagement.ui.i18n import tr
from engagement.ui.rights import tracking_rights
from engagement.ui.sidebar import require_program

# Titled as the menu names it: "Exportar" for those who may not import.
importer = tracking_rights(state.program_id()).import_data
st.title(tr("import_page.title" if importer else "pages.nav.export"))
st.caption(tr("import_page.intro" if importer else "pages.export_intro"))
show_flash()
program_id = require_program()
program = context.program(program_id)
settings = load_settings()
db, user = context.database(), context.current_user()
presenting = state.presentation()  # a shared screen: files would show citizens' names
may_import = import_widgets.may_import(user, program_id) and not presenting

if not may_import:
    # Readers (and a shared screen) download; the import tabs are not offered at all.
    st.info(
        tr("privacy.no_import" if presenting else "import_page.no_permission"),
        icon=":material/lock:",
    )
    export_widgets.program_exports(db, user, program)
    st.divider()
    export_widgets.templates()
    st.stop()

tab_import, tab_history, tab_export = st.tabs(
    [tr("import_page.tab.import"), tr("import_page.tab.history"), tr("import_page.tab.export")]
)

with tab_import:
    uploads = import_widgets.choose_files(settings.upload_limit_mb)
    decidim = decidim_widgets.is_decidim(uploads)
    if decidim:  # a Decidim open-data ZIP: its own preview, choices and confirmation
        version = context.program_version(program_id)
        found = decidim_widgets.preview(db, user, program_id, version, uploads[0])
        if found is not None:
            decidim_widgets.show_preview(found)
            decidim_widgets.map_states(found)
            if decidim_widgets.apply_button(found) and decidim_widgets.run_import(
                db, user, program_id, found
            ):
                import_widgets.clear_uploads()
                st.rerun()
    preview = (
        import_widgets.preview(
            db,
            user,
            program_id,
            context.program_version(program_id),
            uploads,
            settings.upload_limit_bytes,
        )
        if uploads and not decidim
        else None
    )
    if preview is not None:
        import_widgets.show_preview(preview)
        if import_widgets.apply_button(preview) and import_widgets.run_import(
            db, user, program_id, preview
        ):
            st.rerun()

with tab_history:
    import_widgets.recent_imports(db, user, program_id, may_undo=True)

with tab_export:
    export_widgets.program_exports(db, user, program)
    st.divider()
    export_widgets.templates()
