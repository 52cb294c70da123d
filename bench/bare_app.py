"""A bare Flask app: the yardstick `bench/pages.py` compares participate's pages with.

No database, no sessions, no translations, no extensions: plain Python data rendered by Jinja
through a layout, served by gunicorn exactly as participate is (`gunicorn -w 2 bare_app:app` from
`bench/`).

- `/consultation`: a page of the same shape as participate's busiest consultation page -- the
  layout (head, navigation, language list, footer), 60 options (title, link, summary, cost, tags)
  and `BARE_COMMENTS` comments (author, ward, time, body as HTML; default 300) -- with comment
  bodies as long as needed for the page to weigh `BARE_CONSULTATION_BYTES` (default 100,000);
- `/consultation-300`: the same with 300 comments whatever `BARE_COMMENTS` says (heavier);
- `/page/<name>`: the layout and a list of items, as many as make the page weigh the size given
  for `name` in `BARE_SIZES` (e.g. `home:40000,ward:60000`), to compare any other page with a
  bare page of its own size;
- `/hello`: the layout around one paragraph;
- `/healthz`: a JSON answer, as participate's.
"""

from __future__ import annotations

import os
import random

from flask import Flask, jsonify, render_template
from jinja2 import DictLoader

LAYOUT = """<!doctype html>
<html lang="en" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% block title %}{% endblock %} – participate</title>
<link rel="stylesheet" href="{{ url_for('static_file', name='css/site.css') }}">
<link rel="icon" href="{{ url_for('static_file', name='favicon.svg') }}">
</head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
<header class="site-header">
  <div class="site-header__inner">
    <a class="site-header__name" href="{{ url_for('hello') }}">{{ council }} participate</a>
    <nav class="site-nav" aria-label="Main">
      <ul>
      {% for label, href in nav %}<li><a href="{{ href }}">{{ label }}</a></li>{% endfor %}
      </ul>
    </nav>
    <form class="language" method="post" action="/language">
      <input type="hidden" name="csrf_token" value="{{ token }}">
      <label for="language">Language</label>
      <select id="language" name="language">
      {% for code, name in languages %}
        <option value="{{ code }}"{% if code == 'en' %} selected{% endif %}>{{ name }}</option>
      {% endfor %}
      </select>
      <button type="submit" class="button button--secondary">Change</button>
    </form>
    <a href="/sign-in">Sign in</a> <a href="/register">Create an account</a>
  </div>
</header>
<main id="main" class="main">
{% block content %}{% endblock %}
</main>
<footer class="site-footer">
  <ul>{% for label, href in footer %}<li><a href="{{ href }}">{{ label }}</a></li>{% endfor %}</ul>
  <p>{{ council }} Council. Your ward councillors read what you write here.</p>
</footer>
</body>
</html>"""

CONSULTATION = """{% extends "layout.html" %}
{% block title %}{{ consultation.title }}{% endblock %}
{% block content %}
<nav class="breadcrumbs"><a href="/">Home</a> › <a href="/consultations">Consultations</a></nav>
<h1>{{ consultation.title }}</h1>
<p class="lead">{{ consultation.outcome }}</p>
<dl class="facts">
  <dt>Phase</dt><dd><span class="tag">{{ consultation.phase }}</span></dd>
  <dt>Voting opens</dt><dd>{{ consultation.opens }}</dd>
  <dt>Wards</dt><dd>{% for ward in consultation.wards %}
    <a href="/wards/{{ ward.code }}">{{ ward.name }}</a>{% if not loop.last %}, {% endif %}
  {% endfor %}</dd>
</dl>
<h2>Options ({{ options|length }})</h2>
<ol class="options">
{% for option in options %}
  <li class="option" id="option-{{ option.id }}">
    <h3><a href="{{ url_for('consultation') }}#option-{{ option.id }}">{{ option.title }}</a></h3>
    <p>{{ option.summary }}</p>
    <p class="meta">Put forward by {{ option.author }} · {{ option.provider }} ·
      {% if option.cost is not none %}£{{ "{:,}".format(option.cost // 100) }}
      {% else %}no estimate{% endif %} ·
      {{ option.comments }} comment{{ "" if option.comments == 1 else "s" }}</p>
  </li>
{% endfor %}
</ol>
<h2>Discussion ({{ comments|length }})</h2>
<ol class="comments">
{% for comment in comments %}
  <li class="comment" id="comment-{{ comment.id }}">
    <p class="comment__meta"><strong>{{ comment.author }}</strong>, {{ comment.ward }} ·
      <time datetime="{{ comment.iso }}">{{ comment.when }}</time> ·
      on <a href="#option-{{ comment.option }}">option {{ comment.option }}</a></p>
    <div class="comment__body">{{ comment.html|safe }}</div>
    <form method="post" action="/moderation/flag/comment/{{ comment.id }}" class="inline">
      <input type="hidden" name="csrf_token" value="{{ token }}">
      <button type="submit" class="link-button">Report</button>
    </form>
  </li>
{% endfor %}
</ol>
{% endblock %}"""

LIST = """{% extends "layout.html" %}
{% block title %}{{ name }}{% endblock %}
{% block content %}
<h1>{{ name }}</h1>
<ul class="cards">
{% for item in items %}
  <li class="card"><h2><a href="/items/{{ item.id }}">{{ item.title }}</a></h2>
    <p>{{ item.text }}</p><p class="meta">{{ item.meta }}</p></li>
{% endfor %}
</ul>
{% endblock %}"""

HELLO = """{% extends "layout.html" %}
{% block title %}Hello{% endblock %}
{% block content %}<h1>Hello</h1><p>A bare page.</p>{% endblock %}"""

WORDS = [
    "youth",
    "club",
    "evening",
    "safe",
    "space",
    "library",
    "park",
    "community",
    "centre",
    "bus",
    "route",
    "lighting",
    "football",
    "music",
    "studio",
    "kitchen",
    "volunteers",
    "councillor",
    "budget",
    "ward",
    "estate",
    "after",
    "school",
    "staff",
    "funding",
    "weekend",
    "open",
    "late",
    "mentoring",
    "cooking",
    "garden",
    "repair",
    "cafe",
    "sports",
    "hall",
    "arts",
    "quiet",
    "room",
]


def _text(rng: random.Random, length: int) -> str:
    words: list[str] = []
    size = 0
    while size < length:
        word = rng.choice(WORDS)
        words.append(word)
        size += len(word) + 1
    return " ".join(words).capitalize() + "."


def _consultation_data(body_length: int, n_comments: int) -> dict:
    rng = random.Random(60300)
    options = [
        {
            "id": 1000 + i,
            "title": _text(rng, 40),
            "summary": _text(rng, 220),
            "author": f"Resident {i}",
            "provider": rng.choice(["In-house", "Voluntary sector", "Social enterprise"]),
            "cost": rng.choice([None, rng.randint(5, 900) * 100_000]),
            "comments": 5,
        }
        for i in range(60)
    ]
    comments = [
        {
            "id": 5000 + i,
            "author": f"Resident {rng.randint(1, 400)}",
            "ward": "Brixton Acre Lane",
            "iso": "2026-05-14T18:30:00+01:00",
            "when": "14 May 2026 at 6:30pm",
            "option": 1000 + i % 60,
            "html": "<p>" + _text(rng, body_length) + "</p>",
        }
        for i in range(n_comments)
    ]
    consultation = {
        "title": "Somewhere safe for young people in Brixton in the evenings",
        "outcome": _text(rng, 300),
        "phase": "Voting",
        "opens": "1 June 2026",
        "wards": [{"code": f"E0501409{n}", "name": f"Ward {n}"} for n in range(3)],
    }
    return {"consultation": consultation, "options": options, "comments": comments}


def _items(count: int) -> list[dict]:
    rng = random.Random(count)
    return [
        {"id": i, "title": _text(rng, 40), "text": _text(rng, 140), "meta": f"Ward {i % 25} · 3 days ago"}
        for i in range(count)
    ]


def _sizes() -> dict[str, int]:
    sizes = {}
    for part in filter(None, os.environ.get("BARE_SIZES", "").split(",")):
        name, _, size = part.partition(":")
        sizes[name] = int(size)
    return sizes


def create_app() -> Flask:
    app = Flask(__name__)
    app.jinja_loader = DictLoader(
        {"layout.html": LAYOUT, "consultation.html": CONSULTATION, "list.html": LIST, "hello.html": HELLO}
    )
    common = {
        "council": "Lambeth",
        "token": "x" * 88,
        "nav": [
            (label, f"/{label.lower()}")
            for label in (
                "Proposals",
                "Consultations",
                "Wards",
                "Groups",
                "Events",
                "Commissioning",
                "Results",
                "Help",
            )
        ],
        "languages": [
            ("en", "English"),
            ("pt", "Português"),
            ("es", "Español"),
            ("pl", "Polski"),
            ("fr", "Français"),
            ("so", "Soomaali"),
            ("ar", "العربية"),
        ],
        "footer": [
            (label, f"/{label.lower()}")
            for label in ("About", "Privacy", "Accessibility", "Terms", "Contact", "API")
        ],
    }

    @app.route("/static/<path:name>", endpoint="static_file")
    def static_file(name):
        return ""

    @app.get("/hello")
    def hello():
        return render_template("hello.html", **common)

    @app.get("/healthz")
    def healthz():
        return jsonify(status="ok")

    consultation_data: dict = {}
    consultation_300_data: dict = {}
    lists: dict[str, list[dict]] = {}

    @app.get("/consultation")
    def consultation():
        return render_template("consultation.html", **common, **consultation_data)

    @app.get("/consultation-300")
    def consultation_300():
        return render_template("consultation.html", **common, **consultation_300_data)

    @app.get("/page/<name>")
    def page(name: str):
        return render_template("list.html", name=name, items=lists.get(name, []), **common)

    # Comment bodies long enough for the page to weigh what participate's does: measure two sizes
    # and scale (the other parts of the page do not depend on the body length).
    target = int(os.environ.get("BARE_CONSULTATION_BYTES", "100000"))
    n = int(os.environ.get("BARE_COMMENTS", "300"))
    with app.test_request_context():
        small = len(render_template("consultation.html", **common, **_consultation_data(100, n)).encode())
        large = len(render_template("consultation.html", **common, **_consultation_data(600, n)).encode())
        body = max(20, 100 + round((target - small) * 500 / max(1, large - small)))
        consultation_data.update(_consultation_data(body, n))
        consultation_300_data.update(_consultation_data(body, 300))
        base = len(render_template("list.html", name="x", items=[], **common).encode())
        hundred = len(render_template("list.html", name="x", items=_items(100), **common).encode())
    per_item = (hundred - base) / 100
    for name, size in _sizes().items():
        lists[name] = _items(max(0, round((size - base) / per_item)))
    return app


app = create_app()
