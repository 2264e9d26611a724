"""The `illustrative_demo` fixture: the demo's reference facts, a small registry and its illustrative layer."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from db_templates import Template, Templates
from homecoming.demo import illustrative, loader


def _illustrative(engine: Engine) -> list[illustrative.DemoAccount]:
    with Session(engine) as session:
        loader.load_reference(session)
        loader.load_households(session, loader.Scale("small", 40, 160, "a test"))
        made = illustrative.load(session)
        session.commit()
    return made


ILLUSTRATIVE = Template("illustrative-demo", _illustrative)


@pytest.fixture
def database_template(request: pytest.FixtureRequest) -> Template | None:
    """A test using `illustrative_demo` starts from a copy of it, built once per engine and test process."""
    return ILLUSTRATIVE if "illustrative_demo" in request.fixturenames else None


@pytest.fixture
def illustrative_demo(engine: Engine, templates: Templates) -> list[illustrative.DemoAccount]:
    """The demo's accounts (one per role but the public), in the test's copy of the illustrative demo."""
    made: list[illustrative.DemoAccount] = templates.made(ILLUSTRATIVE, engine.dialect.name)
    return made
