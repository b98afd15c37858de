"""A generated collection for the dashboard tests: every status (aliases, unknown, none),
owners (one, several, none), modules, dates inside and outside the 14-day window,
open and resolved questions, blockers, risks, recommendations and citations."""

from __future__ import annotations

import random

TODAY = "2026-03-15"
STATUSES = [
    "draft", "Draft", "review", "In review", "approved", "Accepted", "implemented",
    "superseded", "rejected", "parked", None,
]  # fmt: skip
OWNERS: list[str | list[str] | None] = [
    "ana", "bo", "chen", "dee", "eli", "fay", "gus", "hal", "ivy", "jo", "kai",
    ["ana", "bo"], None,
]  # fmt: skip
MODULES = [
    "alerts",
    "charts",
    "market-data",
    "auth",
    "billing",
    "notifications",
    "orders",
    "search",
    "trading",
    "users",
    "watchlists",
    "storage",
]
DAYS = [
    "2026-03-15",
    "2026-03-14",
    "2026-03-10",
    "2026-03-02",
    "2026-03-01",
    "2026-02-01",
    "2026-03-20",
    "2025-09",
]


def spec_text(
    number: int,
    rng: random.Random,
    statuses: list[str | None] = STATUSES,
    owners: list[str | list[str] | None] = OWNERS,
    modules_: list[str] = MODULES,
) -> str:
    status = statuses[number % len(statuses)]
    owner = owners[number % len(owners)]
    front = [f"title: Spec {number:03d}"]
    if status is not None:
        front.append(f"status: {status}")
    if owner is not None:
        front.append(f"owner: {owner if isinstance(owner, str) else '[' + ', '.join(owner) + ']'}")
    front.append(f'date: "{DAYS[number % len(DAYS)]}"')
    if number % 3 == 0:
        front.append(f'updated: "{DAYS[(number // 3) % len(DAYS)]}"')
    if number % 5 != 4:
        modules = rng.sample(modules_, rng.randint(1, min(3, len(modules_))))
        front.append(f"modules: [{', '.join(modules)}]")
    blockers = [
        f"- Blocker {number}-{n}: need to confirm vendor support {n}."
        for n in range(rng.randint(0, 3))
    ]
    risks = [
        f"- Risk {number}-{n}: load on service {n} may spike." for n in range(rng.randint(0, 3))
    ]
    questions = []
    for n in range(rng.randint(0, 4)):
        if rng.random() < 0.3:
            questions.append(f"- Question {number}-{n}: which store? Decision: PostgreSQL.")
        else:
            questions.append(f"- Question {number}-{n}: which retention period do we need?")
    cite = (
        f"The module boundaries follow ARCHITECTURE.md for spec {number}. More text here.\n"
        if number % 2 == 0
        else ""
    )
    recommendation = (
        f"## 6. Recommendation\n\nGo with **Approach {number % 3}** for spec {number}. "
        "It is cheaper and simpler.\n"
        if number % 4 != 3
        else ""
    )
    return (
        "---\n" + "\n".join(front) + "\n---\n\n"
        f"# Spec {number:03d}\n\n## 1. Executive Summary\n\nWhat and why of spec {number}.\n"
        f"{cite}\n"
        "## 2. Proposed Solution / Implementation Details\n\nA new service.\n\n"
        "### New/Modified Components\n\n"
        f"- `Widget{number % 2}.vue` (modified): shows the new state.\n"
        + ("- `backend/modules/core-bus/`: a new topic.\n" if number % 3 == 0 else "")
        + f"- The `Only{number}` helper, new.\n- A note without code.\n\n"
        "## 3. Risks & Concerns\n\n"
        "### Blockers\n\n" + ("\n".join(blockers) or "None.") + "\n\n"
        "### Risks\n\n" + ("\n".join(risks) or "None.") + "\n\n"
        "## 4. Out of Scope\n\n- Mobile apps.\n\n"
        "## 5. Open Questions\n\n" + ("\n".join(questions) or "None.") + "\n\n" + recommendation
    )


def collection(count: int = 40, seed: int = 10, *, small: bool = False) -> dict[str, str]:
    """``count`` specs; ``small``: few statuses, owners and modules (few chart bars, for
    the browser test that clicks every one)."""
    rng = random.Random(seed)
    if small:
        return {
            f"spec-{n:03d}.md": spec_text(
                n, rng, ["draft", "In review", "approved", "superseded", None],
                ["ana", ["ana", "bo"], None], MODULES[:3],
            )
            for n in range(count)
        }  # fmt: skip
    return {f"spec-{n:03d}.md": spec_text(n, rng) for n in range(count)}
