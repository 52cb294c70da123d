"""Read and write the Pabulib ``.pb`` format (pabulib.org) for participatory budgeting data.

A file has three sections, each introduced by a line holding its name and followed by a header
line: ``META`` (``key;value`` pairs), ``PROJECTS`` (one project a line, starting with
``project_id`` and ``cost``) and ``VOTES`` (one voter a line, starting with ``voter_id`` and
including ``vote``, plus ``points`` for scored ballots).  Fields are separated by ``;`` and may be
double-quoted.  Approval, choose-1, cumulative and scoring vote types are supported; ordinal
ballots are refused with :class:`PabulibError` code ``unsupported_vote_type``.  An empty ``vote``
(or one written ``None``) is a voter who supported nothing; empty scored ballots are written back
as ``None`` because that is the only form pabutools' reader accepts for them.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from participate.voting.election import Election

SUPPORTED_VOTE_TYPES = ("approval", "choose-1", "cumulative", "scoring")
_APPROVAL_TYPES = ("approval", "choose-1")
_SECTIONS = ("meta", "projects", "votes")


class PabulibError(ValueError):
    """A Pabulib file that cannot be read or used, with a machine-readable code."""

    def __init__(self, code: str, message: str, line: int | None = None) -> None:
        self.code = code
        self.line = line
        where = f"line {line}: " if line is not None else ""
        super().__init__(f"{where}{message} [{code}]")


@dataclass(frozen=True)
class PabulibProject:
    """One row of the PROJECTS section."""

    project_id: str
    cost: Fraction
    name: str | None = None
    # Every other column, as written (for example category, votes, selected, latitude).
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PabulibVote:
    """One row of the VOTES section."""

    voter_id: str
    vote: tuple[str, ...]
    points: tuple[Fraction, ...] | None = None
    # Every other column, as written (for example age, sex, neighbourhood, voting_method).
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PabulibFile:
    """A parsed Pabulib file, keeping column order so that it can be written back."""

    meta: dict[str, str]
    project_columns: tuple[str, ...]
    projects: tuple[PabulibProject, ...]
    vote_columns: tuple[str, ...]
    votes: tuple[PabulibVote, ...]

    @property
    def vote_type(self) -> str:
        """The META ``vote_type`` (approval, cumulative, scoring, ...)."""
        return self.meta["vote_type"]

    @property
    def budget(self) -> Fraction:
        """The META ``budget`` as an exact number."""
        return _number(self.meta["budget"], "budget", None)

    def selected(self) -> list[str] | None:
        """Ids of the projects the ``selected`` column marks as funded, or None without it."""
        if "selected" not in self.project_columns:
            return None
        return [p.project_id for p in self.projects if p.extra.get("selected", "").strip() == "1"]

    def to_election(self) -> Election:
        """The budgeting input: integer costs and budget, approvals as utility 1, points as is."""
        costs = {p.project_id: _whole(p.cost, f"cost of project {p.project_id}") for p in self.projects}
        budget = _whole(self.budget, "budget")
        ballots: list[dict[str, int]] = []
        approval = self.vote_type in _APPROVAL_TYPES
        for v in self.votes:
            if approval or v.points is None:
                ballots.append(dict.fromkeys(v.vote, 1))
            else:
                ballot: dict[str, int] = {}
                for project_id, points in zip(v.vote, v.points, strict=True):
                    ballot[project_id] = ballot.get(project_id, 0) + _whole(
                        points, f"points of voter {v.voter_id}"
                    )
                ballots.append({p: u for p, u in ballot.items() if u > 0})
        return Election(budget, costs, ballots)


def _whole(value: Fraction, what: str) -> int:
    if value.denominator != 1:
        raise PabulibError("not_a_whole_number", f"{what} is {value}, not a whole number")
    return int(value)


def _number(text: str, what: str, line: int | None) -> Fraction:
    try:
        # Some files write decimal commas ("1234,5"); the Pabulib reference reader accepts them.
        return Fraction(text.strip().replace(",", "."))
    except (ValueError, ZeroDivisionError):
        raise PabulibError("not_a_number", f"{what} {text!r} is not a number", line) from None


def _format_number(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    den = value.denominator
    twos = fives = 0
    while den % 2 == 0:
        den //= 2
        twos += 1
    while den % 5 == 0:
        den //= 5
        fives += 1
    if den != 1:
        return f"{value.numerator}/{value.denominator}"
    digits = max(twos, fives)
    scaled = value * 10**digits
    sign = "-" if scaled < 0 else ""
    whole, frac_part = divmod(abs(int(scaled)), 10**digits)
    return f"{sign}{whole}.{frac_part:0{digits}d}"


def _split_list(text: str) -> tuple[str, ...]:
    if text.strip().lower() == "none":
        return ()
    return tuple(item.strip() for item in text.split(",") if item.strip())


def loads(text: str) -> PabulibFile:
    """Parse the text of a Pabulib file."""
    if text.startswith("\ufeff"):
        text = text[1:]
    meta: dict[str, str] = {}
    project_columns: tuple[str, ...] = ()
    vote_columns: tuple[str, ...] = ()
    projects: list[PabulibProject] = []
    votes: list[PabulibVote] = []
    section = ""
    seen: set[str] = set()
    expect_header = False
    known_projects: set[str] = set()
    vote_type = ""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    for row in reader:
        line = reader.line_num
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        head = row[0].strip().lower()
        if head in _SECTIONS and not any(c.strip() for c in row[1:]):
            if head in seen:
                raise PabulibError("repeated_section", f"section {head.upper()} appears twice", line)
            section = head
            seen.add(head)
            expect_header = True
            continue
        if not section:
            raise PabulibError("no_section", "data before the first section name", line)
        if expect_header:
            columns = tuple(c.strip() for c in row)
            if section == "projects":
                if columns[:2] != ("project_id", "cost"):
                    raise PabulibError(
                        "bad_header", "PROJECTS must start with the columns project_id;cost", line
                    )
                project_columns = columns
            elif section == "votes":
                if columns[0] != "voter_id" or "vote" not in columns:
                    raise PabulibError(
                        "bad_header", "VOTES must start with voter_id and have a vote column", line
                    )
                vote_type = meta.get("vote_type", "")
                if vote_type not in SUPPORTED_VOTE_TYPES:
                    raise PabulibError(
                        "unsupported_vote_type",
                        f"vote type {vote_type!r} is not supported "
                        f"(supported: {', '.join(SUPPORTED_VOTE_TYPES)})",
                        line,
                    )
                vote_columns = columns
            expect_header = False
            continue
        if section == "meta":
            if len(row) < 2:
                raise PabulibError("bad_row", "META rows need a key and a value", line)
            meta[row[0].strip()] = ";".join(row[1:]).strip()
        elif section == "projects":
            projects.append(_project(row, project_columns, line))
            if projects[-1].project_id in known_projects:
                raise PabulibError(
                    "duplicate_project", f"project {projects[-1].project_id} listed twice", line
                )
            known_projects.add(projects[-1].project_id)
        else:
            votes.append(_vote(row, vote_columns, vote_type, known_projects, line))
    for required in ("budget", "vote_type"):
        if required not in meta:
            raise PabulibError("missing_meta", f"META has no {required}")
    if meta["vote_type"] not in SUPPORTED_VOTE_TYPES:
        raise PabulibError(
            "unsupported_vote_type",
            f"vote type {meta['vote_type']!r} is not supported "
            f"(supported: {', '.join(SUPPORTED_VOTE_TYPES)})",
        )
    for name in _SECTIONS:
        if name not in seen:
            raise PabulibError("missing_section", f"no {name.upper()} section")
    _number(meta["budget"], "budget", None)
    return PabulibFile(meta, project_columns, tuple(projects), vote_columns, tuple(votes))


def _project(row: list[str], columns: tuple[str, ...], line: int) -> PabulibProject:
    if len(row) != len(columns):
        raise PabulibError("bad_row", f"project row has {len(row)} fields, header has {len(columns)}", line)
    values = dict(zip(columns, (v.strip() for v in row), strict=True))
    project_id = values.pop("project_id")
    if not project_id:
        raise PabulibError("bad_row", "project without an id", line)
    cost = _number(values.pop("cost"), f"cost of project {project_id}", line)
    name = values.pop("name") if "name" in values else None
    return PabulibProject(project_id, cost, name, values)


def _vote(
    row: list[str], columns: tuple[str, ...], vote_type: str, known: set[str], line: int
) -> PabulibVote:
    if len(row) != len(columns):
        raise PabulibError("bad_row", f"vote row has {len(row)} fields, header has {len(columns)}", line)
    values = dict(zip(columns, (v.strip() for v in row), strict=True))
    voter_id = values.pop("voter_id")
    vote = _split_list(values.pop("vote"))
    for project_id in vote:
        if project_id not in known:
            raise PabulibError(
                "unknown_project", f"voter {voter_id} votes for unknown project {project_id}", line
            )
    points: tuple[Fraction, ...] | None = None
    if "points" in values:
        raw_points = values.pop("points")
        points = tuple(_number(p, f"points of voter {voter_id}", line) for p in _split_list(raw_points))
        if len(points) != len(vote):
            raise PabulibError(
                "bad_row",
                f"voter {voter_id} has {len(vote)} projects but {len(points)} points",
                line,
            )
    elif vote_type not in _APPROVAL_TYPES:
        raise PabulibError("bad_header", f"a {vote_type} file needs a points column", line)
    return PabulibVote(voter_id, vote, points, values)


def load(path: str | Path) -> PabulibFile:
    """Parse a Pabulib file from disk."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return loads(handle.read())


def dumps(data: PabulibFile) -> str:
    """Write a parsed file back in Pabulib format, preserving column and row order."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(["META"])
    writer.writerow(["key", "value"])
    for key, value in data.meta.items():
        writer.writerow([key, value])
    writer.writerow(["PROJECTS"])
    writer.writerow(data.project_columns)
    for p in data.projects:
        known = {"project_id": p.project_id, "cost": _format_number(p.cost)}
        if p.name is not None:
            known["name"] = p.name
        writer.writerow([known.get(c, p.extra.get(c, "")) for c in data.project_columns])
    writer.writerow(["VOTES"])
    writer.writerow(data.vote_columns)
    for v in data.votes:
        known = {"voter_id": v.voter_id, "vote": ",".join(v.vote)}
        if v.points is not None:
            known["points"] = ",".join(_format_number(x) for x in v.points)
            if not v.vote:
                # pabutools reads an empty scored ballot only when written "None".
                known["vote"] = known["points"] = "None"
        writer.writerow([known.get(c, v.extra.get(c, "")) for c in data.vote_columns])
    return out.getvalue()


def dump(data: PabulibFile, path: str | Path) -> None:
    """Write a parsed file to disk in Pabulib format (UTF-8)."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(dumps(data))
