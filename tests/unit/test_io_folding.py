"""The import's fast name folding is exactly the registry's duplicate rule."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from engagement.services.exchange.import_model import fold
from engagement.text import name_key


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=40))
def test_fold_is_name_key(name: str) -> None:
    assert fold(name) == name_key(name)


def test_fold_examples() -> None:
    for name in ["  Asociación  ÑANDÚ ", "Straße", "Ｆｕｌｌｗｉｄｔｈ", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "e\u0301"]:
        assert fold(name) == name_key(name)
