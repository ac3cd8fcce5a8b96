"""The session gate's hold on Streamlit's internals: fails loudly when Streamlit changes.

``engagement/ui/session_gate.py`` wraps ``AppSession.handle_backmsg`` and the uploaded-file
manager's ``add_file`` of Streamlit 1.67, and relies on how widget ids are made. If any
test here fails after an upgrade, re-read those parts of Streamlit, adapt the gate, run
tests/browser/test_anonymous_clients.py, then move the pin.
"""

from __future__ import annotations

import inspect
import tomllib
from pathlib import Path

import streamlit
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.runtime import Runtime
from streamlit.runtime.app_session import AppSession
from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager

from engagement.config import load_settings
from engagement.ui import session_gate

ROOT = Path(__file__).resolve().parents[2]


def test_streamlit_is_the_release_the_gate_was_written_for() -> None:
    assert streamlit.__version__ == session_gate.STREAMLIT_VERSION, (
        "Streamlit changed: re-check engagement/ui/session_gate.py against its new "
        "app_session.py, memory_uploaded_file_manager.py and starlette_routes.py"
    )
    pinned = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    assert f"streamlit=={session_gate.STREAMLIT_VERSION}" in pinned


def test_the_wrapped_internals_are_still_there() -> None:
    assert list(inspect.signature(AppSession.handle_backmsg).parameters) == ["self", "msg"]
    add_file = inspect.signature(MemoryUploadedFileManager.add_file).parameters
    assert list(add_file) == ["self", "session_id", "file"]
    assert isinstance(inspect.getattr_static(Runtime, "uploaded_file_mgr"), property)
    routes = inspect.getsource(
        __import__(
            "streamlit.web.server.starlette.starlette_routes", fromlist=["create_upload_routes"]
        ).create_upload_routes
    )
    # The upload endpoint stores through add_file and reads the size limit per request.
    assert "upload_mgr.add_file(" in routes
    assert 'config.get_option("server.maxUploadSize")' in routes
    kinds = {f.name for f in BackMsg.DESCRIPTOR.oneofs_by_name["type"].fields}
    assert session_gate.ANONYMOUS_MESSAGES | {"clear_cache", "file_urls_request"} <= kinds


def test_widget_ids_still_carry_their_keys() -> None:
    from streamlit.elements import form
    from streamlit.elements.lib import utils

    assert '-{h.hexdigest()}-{user_key}"' in inspect.getsource(utils)
    assert 'f"FormSubmitter:{form_id}-{label}"' in inspect.getsource(form)


def _rerun(*ids: str) -> ClientState:
    state = ClientState()
    for widget_id in ids:
        state.widget_states.widgets.append(WidgetState(id=widget_id, string_value="x"))
    return state


def test_a_session_that_has_not_signed_in_keeps_only_sign_in_values() -> None:
    sign_in = [
        "$$ID-6d81a9f01835d7ce18c1e7a26562a931-auth.username",
        "$$ID-25c34e2e31ab85d5c18f8b3c0184a669-auth.password",
        "$$ID-d3902729a0465dc6774ff8a5c3047fbd-FormSubmitter:auth.sign_in-Entrar",
    ]
    foreign = [
        "$$ID-0123456789abcdef0123456789abcdef-tejido.program_id",
        "$$ID-0123456789abcdef0123456789abcdef-None",  # a component's value
        "$$ID-0123456789abcdef0123456789abcdef-network.map-auth.x",
        "auth.username",  # not a widget id at all
        "tejido.user",
    ]
    state = _rerun(*sign_in, *foreign)
    session_gate._keep_sign_in_values(state)
    assert [w.id for w in state.widget_states.widgets] == sign_in


def test_server_upload_limit_is_in_step_with_tejido_upload_limit() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == load_settings({}).upload_limit_mb
