"""Hostile spec text, by class: the examples the real-site tests build, and Hypothesis
strategies that generate more of each class for the in-process property tests.

Classes (issue 8): front matter that blows up or crashes YAML (nested aliases,
self-reference, huge numbers, lone surrogates, non-finite floats, sets, deep
nesting); Markdown that exhausts a converter (nested emphasis, nested
``<div markdown>``, runs of ``[``, deep lists and quotes, thousands of backticks
before a reference name); links that must stay valid Markdown.
"""

from __future__ import annotations

from hypothesis import strategies as st


def alias_bomb(levels: int = 9, width: int = 10) -> str:
    """A "billion laughs" block: each level repeats the previous one ``width`` times."""
    lines = [f"l0: &l0 [{', '.join(['lol'] * width)}]"]
    for level in range(1, levels):
        lines.append(f"l{level}: &l{level} [{', '.join([f'*l{level - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


FRONT_MATTER: dict[str, str] = {
    "alias-bomb": alias_bomb(),
    "self-alias": "title: Self\nloop: &loop [1, *loop]\n",
    "self-alias-map": "title: Self Map\nloop: &loop {again: *loop}\n",
    "huge-int": "title: Huge\nn: " + "9" * 5000 + "\n",
    "huge-binary-int": "title: Huge Binary\nn: 0b" + "1" * 20000 + "\n",
    "lone-surrogate": 'title: "Lone \\ud800 surrogate"\nnote: "\\udfff"\n',
    "non-finite": "title: Non Finite\nscore: .nan\nlimit: .inf\nfloor: -.inf\n",
    "set": "title: A Set\nlabels: !!set {zeta, alpha, mid}\n",
    "deep-nesting": "title: Deep\nx: " + "[" * 3000 + "\n",
    "huge-key": "title: Key\n? " + "7" * 4000 + "\n: value\n",
}

MARKDOWN: dict[str, str] = {
    "nested-emphasis": "*a " * 3000 + "b" + "*" * 3000,
    "nested-strong": "**a " * 2000 + "b" + "**" * 2000,
    "nested-div": "<div markdown>\n" * 3000 + "x\n" + "</div>\n" * 3000,
    "bracket-run": "[" * 20000,
    "image-bracket-run": "![[" * 5000,
    "open-parens": "[a](" * 3000,
    "deep-list": "".join("    " * i + "- x\n" for i in range(300)),
    "deep-quote": "".join(">" * i + " x\n" for i in range(300)),
    "backticks-before-reference": "`" * 5000 + " see ARCHITECTURE.md",
    "tight-headings": "# a\n" * 4000,
    "tight-setext": "a\n===\n" * 3000,
    "angle-run": "<a " * 5000,
}


def hostile_spec(title: str, *, front: str = "", body: str = "") -> str:
    """A spec with the prompt's sections around a hostile front matter and body."""
    head = f"---\n{front}---\n\n" if front else ""
    return (
        f"{head}# {title}\n\n## 1. Executive Summary\n\nA short summary.\n\n"
        "## 3. Risks & Concerns\n\n**Risks:**\n\n- The first risk stays indexed.\n\n"
        f"{body}\n"
    )


# -- Hypothesis ------------------------------------------------------------------------

_SCALARS = st.one_of(
    st.sampled_from(
        [
            ".nan",
            ".inf",
            "-.inf",
            '"\\ud800"',
            '"\\udfff x"',
            "0b" + "1" * 300,
            "9" * 200,
            "0x" + "f" * 200,
            "1:2:3:4:5:6:7:8:9",
            "2026-02-30",
            "!!binary aGVsbG8=",
            "~",
            "yes",
            "'<script>'",
        ]
    ),
    st.text(st.characters(blacklist_categories=["Cs"]), max_size=20).map(lambda s: repr(s)),
)


@st.composite
def hostile_front_matter(draw: st.DrawFn) -> str:
    """YAML from the hostile classes: alias bombs, self-reference, odd scalars, sets."""
    lines = []
    for index in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["scalar", "bomb", "self", "set", "deep", "fixed"]))
        if kind == "bomb":
            lines.append(alias_bomb(draw(st.integers(2, 8)), draw(st.integers(2, 12))))
            break  # its anchors are named l0..: one bomb per document
        if kind == "self":
            lines.append(f"k{index}: &a{index} [{draw(_SCALARS)}, *a{index}]\n")
        elif kind == "set":
            members = draw(st.lists(st.sampled_from(["a", "b", "c", "1", ".nan"]), max_size=4))
            lines.append(f"k{index}: !!set {{{', '.join(members)}}}\n")
        elif kind == "deep":
            depth = draw(st.integers(1, 200))
            lines.append(f"k{index}: " + "[" * depth + "1" + "]" * depth + "\n")
        elif kind == "fixed":
            lines.append(draw(st.sampled_from(list(FRONT_MATTER.values()))))
        else:
            lines.append(f"k{index}: {draw(_SCALARS)}\n")
    return "".join(lines)


_RUNS = [
    "*",
    "_",
    "**",
    "[",
    "]",
    "(",
    ")",
    "`",
    "<div markdown>\n",
    "</div>\n",
    ">",
    "![",
    "# a\n",
    "<a ",
    "***\n",
]


@st.composite
def hostile_markdown(draw: st.DrawFn) -> str:
    """Markdown from the hostile classes: long runs and deep nesting of one construct."""
    parts = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["run", "nest", "list", "quote", "fixed", "link"]))
        size = draw(st.integers(1, 4000))
        if kind == "run":
            parts.append(draw(st.sampled_from(_RUNS)) * size)
        elif kind == "nest":
            opener, closer = draw(st.sampled_from([("*a ", "*"), ("_a ", "_"), ("[", "]")]))
            parts.append(opener * size + "x" + closer * size)
        elif kind == "list":
            parts.append("".join("  " * i + "- x\n" for i in range(min(size, 400))))
        elif kind == "quote":
            parts.append("".join(">" * i + " x\n" for i in range(min(size, 400))))
        elif kind == "link":
            parts.append(
                draw(
                    st.sampled_from(
                        [
                            "[flow](ARCHITECTURE.md#data-flow-(v2))",
                            "[arch]: ARCHITECTURE.md",
                            "[x][arch] and `ARCHITECTURE.md`",
                            "`" * size + " ARCHITECTURE.md",
                        ]
                    )
                )
            )
        else:
            parts.append(draw(st.sampled_from(list(MARKDOWN.values()))))
    return "\n\n".join(parts)
