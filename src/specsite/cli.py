"""The ``specsite`` command line: check, create and export specs without building a site.

A thin adapter over the same core as the MkDocs plugin (``specsite.checking`` parses
exactly as a build does). Exit codes are a public contract: 0 nothing to report,
1 problems found (or a file that would be overwritten), 2 usage or configuration error.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import subprocess
import sys
from pathlib import Path
from typing import NoReturn

import click

from specsite.checking import Checked, check
from specsite.collect import slugify
from specsite.config import ConfigError
from specsite.csvexport import csv_files
from specsite.pages import EXPORT_FILE
from specsite.project import Project, load_project
from specsite.prompt import load_prompt
from specsite.scaffold import existing, project_files, write_project
from specsite.skeleton import skeleton

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2

_config_option = click.option(
    "-f",
    "--config-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="mkdocs.yml to read specsite's options from "
    "(default: the nearest mkdocs.yml at or above the working folder; none: defaults).",
)
_specs_option = click.option(
    "--specs-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder of the collection (overrides the config).",
)
_prompt_option = click.option(
    "--prompt",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The agent prompt every spec follows (overrides the config).",
)


def _project(config_file: Path | None, specs_dir: Path | None, prompt: Path | None) -> Project:
    try:
        return load_project(config_file, cwd=Path.cwd(), specs_dir=specs_dir, prompt=prompt)
    except ConfigError as error:
        _fail(str(error))


def _fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    click.echo(f"specsite: {message}", err=True)
    sys.exit(code)


def _checked(project: Project, paths: list[Path] | None) -> Checked:
    result = check(
        project.settings,
        project.doc_uris(),
        paths,
        directory_urls=project.directory_urls,
    )
    setup = result.setup_errors()
    if setup:
        cwd = Path.cwd()
        for diagnostic in setup:
            click.echo(diagnostic.line(cwd), err=True)
        _fail("the prompt or the specs folder is not where the configuration says")
    return result


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="specsite")
def main() -> None:
    """Check, create and export engineering specs; build the site with `mkdocs build`.

    Exit codes: 0 ok, 1 problems found, 2 usage or configuration error.
    """


@main.command("check")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--strict/--no-strict",
    default=True,
    show_default=True,
    help="Fail on warnings too (--strict, like `mkdocs build --strict`) or on errors only.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: one `path:line:col: severity: message [code]` line per problem; "
    "json: the specs.json data of the checked files.",
)
@click.option(
    "--specs-only",
    is_flag=True,
    help="Ignore PATHS outside the specs folder (pre-commit passes every changed .md file).",
)
@_config_option
@_specs_option
@_prompt_option
def check_command(
    paths: tuple[Path, ...],
    strict: bool,
    output_format: str,
    specs_only: bool,
    config_file: Path | None,
    specs_dir: Path | None,
    prompt: Path | None,
) -> None:
    """Check specs without building the site.

    PATHS are spec files or folders (default: the whole collection); a file outside the
    specs folder is checked as one of its specs. Problems between specs (duplicate
    titles) are checked only for the whole collection. Exit 1 when a warning or error
    is found (only an error with --no-strict), 2 on a usage or configuration error.
    """
    project = _project(config_file, specs_dir, prompt)
    selected = list(paths)
    if specs_only:  # pre-commit: other files are none of our business
        selected = [p for p in selected if project.in_specs_dir(p)]
    result = _checked(project, selected if paths else None)
    failing = {"error", "warning"} if strict else {"error"}
    diagnostics = list(result.diagnostics())
    if output_format == "json":
        click.echo(result.export_json(), nl=False)
        for diagnostic in diagnostics:
            if diagnostic.problem.severity in failing:
                click.echo(diagnostic.line(Path.cwd()), err=True)
    else:
        for diagnostic in diagnostics:
            click.echo(diagnostic.line(Path.cwd()))
    found = [d for d in diagnostics if d.problem.severity in failing]
    if output_format == "text":
        checked = len(result.collection.specs)
        if found:
            click.echo(
                f"specsite: {len(found)} problem(s) in {checked} spec(s)"
                + ("" if strict else " (errors only)"),
                err=True,
            )
    sys.exit(EXIT_PROBLEMS if found else EXIT_OK)


def _owner() -> str | None:
    """``git config user.name``, else the login name."""
    try:
        done = subprocess.run(
            ["git", "config", "user.name"], capture_output=True, text=True, check=False, timeout=10
        )
        if done.returncode == 0 and done.stdout.strip():
            return done.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    user = os.environ.get("USER") or os.environ.get("USERNAME")
    if user:
        return user
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return None


@main.command("new")
@click.argument("title")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the spec (default: <specs folder>/<slug of the title>.md).",
)
@_config_option
@_specs_option
@_prompt_option
def new_command(
    title: str,
    output: Path | None,
    config_file: Path | None,
    specs_dir: Path | None,
    prompt: Path | None,
) -> None:
    """Write a draft spec titled TITLE with every section of the prompt to fill in.

    Never overwrites: exit 1 when the file exists.
    """
    if not title.strip():
        _fail("the title is empty")
    project = _project(config_file, specs_dir, prompt)
    settings = project.settings
    schema = load_prompt(settings)
    errors = [p for p in schema.problems if p.severity == "error"]
    if errors:
        _fail(f"{schema.source}: {errors[0].message} [{errors[0].code}]")
    target = output if output is not None else settings.specs_dir / f"{slugify(title)}.md"
    text = skeleton(title, schema, settings, owner=_owner(), date=dt.date.today())
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:
        _fail(f"{target} already exists; not overwritten (choose another path with -o)", 1)
    except OSError as error:
        _fail(f"cannot write {target}: {error.strerror}")
    click.echo(f"{target}")


@main.command("export")
@click.option(
    "-o",
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path(),
    show_default=True,
    help="Folder to write specs.json and the CSV files into.",
)
@_config_option
@_specs_option
@_prompt_option
def export_command(
    output_dir: Path,
    config_file: Path | None,
    specs_dir: Path | None,
    prompt: Path | None,
) -> None:
    """Write specs.json (as in the site) and CSV files of the catalog and of each index
    (risks.csv, open-questions.csv, out-of-scope.csv, catalog.csv) without building."""
    project = _project(config_file, specs_dir, prompt)
    result = _checked(project, None)
    files = {EXPORT_FILE: result.export_json()}
    files.update(csv_files(result.export_data(), project.settings))
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (output_dir / name).write_text(text, encoding="utf-8", newline="\n")
    except OSError as error:
        _fail(f"cannot write into {output_dir}: {error.strerror}")
    for name in files:
        click.echo((output_dir / name).as_posix())


@main.command("init")
@click.argument("directory", default=".", type=click.Path(file_okay=False, path_type=Path))
def init_command(directory: Path) -> None:
    """Create a working project in DIRECTORY (default: here): mkdocs.yml with the
    specsite plugin, the default prompt, one example spec, a home page and a reference
    document. Build it with `mkdocs build --strict`. Never overwrites: exit 1 when a
    file exists."""
    files = project_files()
    taken = existing(directory, files)
    if taken:
        for name in taken:
            click.echo(f"specsite: {(directory / name).as_posix()} already exists", err=True)
        _fail("nothing written (init never overwrites)", EXIT_PROBLEMS)
    try:
        written = write_project(directory, files)
    except OSError as error:
        _fail(f"cannot write into {directory}: {error.strerror}")
    for path in written:
        click.echo(path.as_posix())
    click.echo(
        f"Next: cd {directory.as_posix()} && mkdocs build --strict   (or: mkdocs serve)",
        err=True,
    )


if __name__ == "__main__":  # pragma: no cover
    main()
