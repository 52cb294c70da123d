#!/usr/bin/env python3
"""Recount a consultation from its public bulletin board alone.

Anyone can check a published result: download the bulletin board and count it again with the
same counting rules (`participate.voting`, pure Python with no web framework or database).

    # from the API (every page is fetched in turn)
    python tools/recount.py https://example.org/api/v1/consultations/12/bulletin-board

    # from a saved JSON board (all pages put together, or just one page for a small vote)
    python tools/recount.py board.json

    # from the CSV download; the rules of the count (method, options, costs, budget) come from
    # the first page of the JSON board, given with --rules (a file or an address)
    python tools/recount.py board.csv --rules https://example.org/api/v1/consultations/12/bulletin-board

It checks every ballot against the consultation's rules, then prints the ranking (and, where there
is a budget, what the greedy rule and the Method of Equal Shares fund) as JSON, in the same shape
as the `options` and `funded` of the published result, so the two can be compared field by field.
It needs only the standard library and `participate.voting` (and numpy, which that uses).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from participate.voting import budgeting, rules  # noqa: E402
from participate.voting.election import Election  # noqa: E402
from participate.voting.tally import tally as count_ballots  # noqa: E402


def read(source: str) -> str:
    """The text of a file or of a web address."""
    if source.startswith(("http://", "https://")):
        with urllib.request.urlopen(source, timeout=60) as response:  # noqa: S310 - the user's address
            return response.read().decode("utf-8")
    return Path(source).read_text(encoding="utf-8")


def board_from_json(source: str) -> tuple[dict, list[dict[int, int]]]:
    """The rules and every ballot of a JSON board, following `next` from page to page."""
    page = json.loads(read(source))
    about, ballots = page["consultation"], []
    expected = page.get("ballots")
    while True:
        for item in page["items"]:
            ballots.append({entry["option"]: entry["votes"] for entry in item["entries"]})
        if not page.get("next") or not source.startswith(("http://", "https://")):
            break
        page = json.loads(read(page["next"]))
    if expected is not None and expected != len(ballots):
        raise SystemExit(f"the board lists {expected} ballots but {len(ballots)} were read: give every page")
    return about, ballots


def board_from_csv(source: str, rules_source: str) -> tuple[dict, list[dict[int, int]]]:
    """The ballots of a CSV board (receipt, then one column per option) and the rules beside it."""
    about = json.loads(read(rules_source))["consultation"]
    reader = csv.reader(io.StringIO(read(source)))
    header = next(reader)
    options = [int(h) for h in header[1:]]
    ballots = []
    for row in reader:
        ballots.append({o: int(v) for o, v in zip(options, row[1:], strict=True) if int(v) != 0})
    return about, ballots


def check(about: dict, ballots: list[dict[int, int]]) -> None:
    """Refuse to count if any ballot breaks the consultation's rules."""
    if about["method"] == "approval":
        ruleset = rules.ApprovalRules(max_approvals=about.get("max_approvals"))
    else:
        ruleset = rules.QuadraticRules(credits=about["credits"], allow_negative=about["allow_negative"])
    ids = [o["id"] for o in about["options"]]
    for n, ballot in enumerate(ballots, start=1):
        result = rules.validate(ruleset, ids, list(ballot.items()))
        if not result.ok:
            raise SystemExit(f"ballot {n} breaks the rules: {[p.code for p in result.problems]}")


def funded(about: dict, ballots: list[dict[int, int]]) -> dict | None:
    """Both budgeting rules, naming projects as participate does (external ids, else padded ids)."""
    if not about.get("budget_pence"):
        return None
    options = about["options"]
    if options and all(o["external_id"] for o in options):
        name = {o["id"]: o["external_id"] for o in options}
    else:
        name = {o["id"]: f"{o['id']:012d}" for o in options}
    priced = {o["id"] for o in options if o["cost_pence"]}
    by_name = {name[i]: i for i in priced}
    costs = {name[o["id"]]: o["cost_pence"] for o in options if o["id"] in priced}
    approval = about["method"] == "approval"
    profile = [
        {name[o]: (1 if approval else v) for o, v in ballot.items() if v > 0 and o in priced}
        for ballot in ballots
    ]
    if not costs:
        return {"greedy": [], "equal_shares": []}
    election = Election(about["budget_pence"], costs, profile)
    sat = "cost" if approval else "cardinal"
    return {
        "greedy": [by_name[p] for p in budgeting.greedy(election, sat=sat).funded],
        "equal_shares": [by_name[p] for p in budgeting.equal_shares(election, sat=sat).funded],
    }


def recount(about: dict, ballots: list[dict[int, int]]) -> dict:
    """The count, in the shape of the published result's `ballots`, `options` and `funded`."""
    check(about, ballots)
    options = {o["id"]: o for o in about["options"]}
    costs = {o["id"]: o["cost_pence"] for o in about["options"]}
    count = count_ballots(about["method"], list(options), ballots, costs)
    document = {
        "consultation": {"id": about["id"], "method": about["method"]},
        "ballots": count.n_ballots,
        "options": [
            {
                "id": r.option_id,
                "external_id": options[r.option_id]["external_id"],
                "title": options[r.option_id]["title"],
                "votes": r.votes,
                "votes_for": r.votes_for,
                "votes_against": r.votes_against,
                "voters_for": r.n_for,
                "voters_against": r.n_against,
                "share_for": round(r.share_for, 4),
                "rank": r.rank,
                "tied_on_votes": r.tied_on_votes,
                "cost_pence": r.cost,
            }
            for r in count.options
        ],
        "tie_break": count.tie_break,
    }
    money = funded(about, ballots)
    if money is not None:
        document["funded"] = money
    return document


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Recount a consultation from its bulletin board.")
    parser.add_argument("board", help="the board: JSON (file or API address) or CSV (file or address)")
    parser.add_argument("--rules", help="for a CSV board: the JSON board (its first page) with the rules")
    args = parser.parse_args(argv)
    if args.board.split("?")[0].endswith(".csv"):
        if not args.rules:
            parser.error("a CSV board needs --rules: the JSON board's first page (file or address)")
        about, ballots = board_from_csv(args.board, args.rules)
    else:
        about, ballots = board_from_json(args.board)
    json.dump(recount(about, ballots), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
