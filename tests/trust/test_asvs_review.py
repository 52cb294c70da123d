"""The OWASP ASVS review (docs/security/asvs.md) cannot go stale silently: every requirement of the
CSV has exactly one row with an allowed status, every `met` row names a test, and every test or
code reference names a file and a function or class that exist."""

from __future__ import annotations

import ast
import csv
import re
from functools import cache

from tests.support import ROOT

CSV = ROOT / "docs" / "security" / "asvs-5.0.0-L1L2-subset.csv"
REVIEW = ROOT / "docs" / "security" / "asvs.md"
STATUSES = {"met", "partly met", "not applicable", "operator"}

ROW = re.compile(r"^\|\s*(V\d+\.\d+\.\d+)\s*\|")
# `path/to/file.py::name` (a test or a function/class in the code) or a bare `path/to/file.py`.
REFERENCE = re.compile(r"`((?:tests|participate|migrations|tools)/[\w/.-]+\.py)(?:::(\w+))?`")
TEST_REFERENCE = re.compile(r"`tests/[\w/.-]+\.py::test_\w+`")


def requirement_ids() -> list[str]:
    with CSV.open(newline="", encoding="utf-8") as fh:
        return [row["req_id"] for row in csv.DictReader(fh)]


def review_rows() -> list[tuple[str, str, str]]:
    """(id, status, evidence) for every requirement row of the review's tables."""
    rows = []
    for line in REVIEW.read_text(encoding="utf-8").splitlines():
        if not ROW.match(line):
            continue
        # A `|` inside a cell is written `\|`, as Markdown tables require.
        cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))]
        assert len(cells) == 4, f"a row needs ID | requirement | status | evidence: {line[:80]}"
        rows.append((cells[0], cells[2].strip("*"), cells[3]))
    return rows


@cache
def defined_names(path: str) -> frozenset[str]:
    """Every function and class defined anywhere in a Python file."""
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    kinds = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    return frozenset(node.name for node in ast.walk(tree) if isinstance(node, kinds))


def test_the_copied_csv_keeps_its_attribution_and_every_requirement():
    ids = requirement_ids()
    assert len(ids) == len(set(ids)) == 144
    readme = (CSV.parent / "README.md").read_text(encoding="utf-8")
    assert "OWASP Foundation" in readme and "CC BY-SA 4.0" in readme


def test_every_requirement_has_exactly_one_row():
    ids = requirement_ids()
    reviewed = [row[0] for row in review_rows()]
    missing = sorted(set(ids) - set(reviewed))
    twice = sorted({i for i in reviewed if reviewed.count(i) > 1})
    unknown = sorted(set(reviewed) - set(ids))
    assert (missing, twice, unknown) == ([], [], [])


def test_every_status_is_one_of_the_allowed_values():
    wrong = [(i, status) for i, status, _ in review_rows() if status not in STATUSES]
    assert wrong == []


def test_every_row_explains_itself():
    problems = []
    for ident, status, evidence in review_rows():
        if status == "met" and not TEST_REFERENCE.search(evidence):
            problems.append(f"{ident}: met, but no test named (`tests/…py::test_…`)")
        if status == "partly met" and "Missing:" not in evidence:
            problems.append(f"{ident}: partly met, but no 'Missing:' saying what is missing")
        if status in {"not applicable", "operator"} and len(evidence) < 20:
            problems.append(f"{ident}: {status}, but no reason given")
    assert problems == [], "\n".join(problems)


def test_every_referenced_file_and_function_exists():
    problems = []
    text = REVIEW.read_text(encoding="utf-8")
    for path, name in REFERENCE.findall(text):
        if not (ROOT / path).is_file():
            problems.append(f"{path}: no such file")
        elif name and name not in defined_names(path):
            problems.append(f"{path}::{name}: no such function or class")
    assert problems == [], "\n".join(problems)


def test_the_checks_themselves_catch_a_stale_reference(tmp_path, monkeypatch):
    """A reference to a test that was renamed is reported (the check is not vacuous)."""
    names = defined_names("tests/trust/test_asvs_review.py")
    assert "test_every_referenced_file_and_function_exists" in names and "no_such_test_here" not in names
    stale = "| V1.2.1 | x | met | `tests/trust/test_asvs_review.py::no_such_test_here` |\n"
    review = tmp_path / "asvs.md"
    review.write_text(stale, encoding="utf-8")
    monkeypatch.setitem(globals(), "REVIEW", review)
    try:
        test_every_referenced_file_and_function_exists()
    except AssertionError as exc:
        assert "no_such_test_here: no such function" in str(exc)
    else:
        raise AssertionError("a reference to a missing test was not reported")
