"""a plan run's sentences as data: data issues and task labels stored as a template's code and its values

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 21:00:00

Runs stored before this kept their data issues and task labels as English sentences. Each one of a shape the
planner wrote is turned into its code and values (homecoming.planning.messages), and kept only if that says the
very same English again; any other (a project's name, a sentence of an unknown shape) is kept as it was written,
under the code "text". `plan_tasks.label` becomes a JSON column by a batch copy of the table on SQLite. The
downgrade writes every sentence back in English.
"""

import re
from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from homecoming.phrases import Message
from homecoming.planning import messages

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RUNS = sa.table("plan_runs", sa.column("id", sa.Integer()), sa.column("data_issues", sa.JSON()))
TASKS = sa.table(
    "plan_tasks", sa.column("id", sa.Integer()), sa.column("kind", sa.String()), sa.column("label", sa.String()),
    sa.column("label_message", sa.JSON()),
)  # fmt: skip

Values = Callable[[re.Match[str]], dict[str, Any]]
N = r"([\d,]+)"


def _n(text: str) -> int:
    return int(text.replace(",", ""))


# The shapes the planner wrote before 0015 (its f-strings), frozen here as they were.
ISSUES: tuple[tuple[str, str, Values], ...] = (
    (r"(\S+): no (\w+) works in the registry; the plan proposes one", "plan.service_proposed",
     lambda m: {"place": m[1], "sector": m[2]}),
    (r"(\S+): no (\w+) works in the registry; it cannot become ready", "plan.service_missing",
     lambda m: {"place": m[1], "sector": m[2]}),
    (rf"(\S+): {N} households wait but only {N} houses are built or planned; the plan proposes {N} more",
     "plan.houses_short", lambda m: {"place": m[1], "households": _n(m[2]), "houses": _n(m[3]), "more": _n(m[4])}),
    (r"(\S+): more households wait than houses are built or planned; the plan proposes more \(counts withheld\)",
     "plan.houses_short_withheld", lambda m: {"place": m[1]}),
    (r"no budget figures in the registry or the scenario: money does not limit this plan", "plan.no_budget",
     lambda m: {}),
    (r"budget for (\d+) missing: the plan carries ([\d,]+\.\d\d) bn AZN forward", "plan.budget_carried",
     lambda m: {"year": m[1], "amount": float(m[2].replace(",", ""))}),
    (rf"(\S+): needs {N} (\S+) a month, more than the {N} there are in the leanest month; planned with {N}",
     "plan.demand_capped", lambda m: {"task": m[1], "amount": _n(m[2]), "resource": m[3], "available": _n(m[4])}),
    (r"(\S+): under way since (\d{4}-\d\d) but the plan resumes it only in month (\d+)", "plan.works_resumed_late",
     lambda m: {"project": m[1], "since": m[2], "month": int(m[3])}),
    (rf"{N} houses of unknown size are taken to fit the largest household of their village",
     "plan.houses_size_unknown", lambda m: {"count": _n(m[1])}),
    (r"([\d,]+|<\d+) households need more than (\d+) rooms, more than any house planned; "
     "they stay unplaced until larger houses are planned", "plan.households_too_big",
     lambda m: {"count": m[1] if m[1].startswith("<") else _n(m[1]), "rooms": int(m[2])}),
)  # fmt: skip
LABELS: tuple[tuple[str, str, Values], ...] = (
    (rf"clear hazard area (\S+) \({N} m²\)", "plan.clear_hazard", lambda m: {"code": m[1], "area": _n(m[2])}),
    (r"proposed (\w+) works for (.+)", "plan.proposed_works", lambda m: {"sector": m[1], "place": m[2]}),
    (rf"proposed {N} houses in (.+)", "plan.proposed_houses", lambda m: {"count": _n(m[1]), "place": m[2]}),
    (r"proposed houses in (.+)", "plan.proposed_houses_withheld", lambda m: {"place": m[1]}),
    (rf"{N} houses in (.+)", "plan.houses", lambda m: {"count": _n(m[1]), "place": m[2]}),
)  # fmt: skip


def as_message(text: str, shapes: tuple[tuple[str, str, Values], ...]) -> dict[str, Any]:
    """The sentence's code and values when it has a known shape and they say it again word for word; else as it is."""
    for pattern, code, values in shapes:
        if match := re.fullmatch(pattern, text):
            said = Message(code, values(match))
            if str(said) == text:
                return said.stored()
    return Message.text(text).stored()


def upgrade() -> None:
    bind = op.get_bind()
    for run_id, issues in bind.execute(sa.select(RUNS.c.id, RUNS.c.data_issues)).all():
        stored = [as_message(str(text), ISSUES) if isinstance(text, str) else text for text in issues or []]
        bind.execute(RUNS.update().where(RUNS.c.id == run_id).values(data_issues=stored))
    op.add_column("plan_tasks", sa.Column("label_message", sa.JSON(), nullable=True))
    for task_id, kind, label in bind.execute(sa.select(TASKS.c.id, TASKS.c.kind, TASKS.c.label)).all():
        said = Message.text(label).stored() if kind == "works" else as_message(label, LABELS)
        bind.execute(TASKS.update().where(TASKS.c.id == task_id).values(label_message=said))
    with op.batch_alter_table("plan_tasks", schema=None) as batch_op:
        batch_op.drop_column("label")
        batch_op.alter_column("label_message", new_column_name="label", existing_type=sa.JSON(), nullable=False)


def downgrade() -> None:
    bind = op.get_bind()
    for run_id, issues in bind.execute(sa.select(RUNS.c.id, RUNS.c.data_issues)).all():
        bind.execute(RUNS.update().where(RUNS.c.id == run_id).values(data_issues=messages.english(issues or [])))
    op.add_column("plan_tasks", sa.Column("label_text", sa.String(length=300), nullable=True))
    said = sa.table("plan_tasks", sa.column("id", sa.Integer()), sa.column("label", sa.JSON()),
                    sa.column("label_text", sa.String()))  # fmt: skip
    for task_id, label in bind.execute(sa.select(said.c.id, said.c.label)).all():
        text = str(messages.label(label))[:300]
        bind.execute(said.update().where(said.c.id == task_id).values(label_text=text))
    with op.batch_alter_table("plan_tasks", schema=None) as batch_op:
        batch_op.drop_column("label")
        batch_op.alter_column("label_text", new_column_name="label", existing_type=sa.String(length=300),
                              nullable=False)  # fmt: skip
