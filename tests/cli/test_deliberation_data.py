"""The social value checklist on a fresh install, and the demo's proposals, consultations and
discussions."""

from __future__ import annotations

import sqlalchemy as sa
from flask_migrate import upgrade

from participate import MIGRATIONS_DIR, create_app
from participate.extensions import db
from participate.models import (
    Comment,
    Consultation,
    Flag,
    ModerationAction,
    Option,
    OutcomeProposal,
    Phase,
    ProviderType,
    SocialValueMeasure,
    Ward,
)
from participate.services.social_value import CHECKLIST, checklist_rows, load_checklist


def test_a_fresh_install_has_the_shipped_social_value_checklist(tmp_path):
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'fresh.sqlite3'}", "SECRET_KEY": "x"}
    )
    with app.app_context():
        upgrade(directory=str(MIGRATIONS_DIR))
        measures = db.session.scalars(sa.select(SocialValueMeasure)).all()
        lines = CHECKLIST.read_text(encoding="utf-8").strip().splitlines()
        assert len(measures) == len(lines) - 1 == 30
        by_code = {m.code: m for m in measures}
        assert by_code["NT10"].unit == "no. weeks" and by_code["NT10"].framework == "National TOMs"
        assert "London Living Wage" in by_code["LBH-3"].name
        assert all(m.is_active for m in measures)
        db.engine.dispose()


def test_checklist_codes_are_unique_and_stable_and_loading_twice_adds_nothing(app):
    rows = checklist_rows()
    assert len({r["code"] for r in rows}) == len(rows)
    assert checklist_rows() == rows
    db.session.execute(sa.delete(SocialValueMeasure))
    assert load_checklist() == len(rows)
    assert load_checklist() == 0
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(SocialValueMeasure.id))) == len(rows)


def test_the_demo_fills_every_page_at_a_realistic_size(runner, app):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    wards = db.session.scalars(sa.select(Ward).where(Ward.is_current)).all()
    with_proposals = set(db.session.scalars(sa.select(OutcomeProposal.ward_id)))
    assert {w.id for w in wards} <= with_proposals, "proposals in every ward"

    consultations = db.session.scalars(sa.select(Consultation)).all()
    assert len(consultations) >= 3
    assert {c.phase for c in consultations} == set(Phase)
    assert any(c.is_borough_wide for c in consultations) and any(len(c.wards) > 1 for c in consultations)
    assert len({frozenset(c.ward_ids) for c in consultations}) >= 3, "consultations in different wards"

    def comments_of(consultation):
        option_ids = [o.id for o in consultation.options]
        return db.session.scalar(
            sa.select(sa.func.count(Comment.id)).where(
                sa.or_(Comment.consultation_id == consultation.id, Comment.option_id.in_(option_ids))
            )
        )

    assert any(len(c.options) == 60 and comments_of(c) == 300 for c in consultations)
    assert set(db.session.scalars(sa.select(Option.provider_type))) == set(ProviderType)
    total = db.session.scalar(sa.select(sa.func.count(Comment.id)))
    hidden = db.session.scalar(sa.select(sa.func.count(Comment.id)).where(Comment.hidden_at.is_not(None)))
    assert total >= 200 and 0 < hidden < total
    assert db.session.scalar(sa.select(sa.func.count(Flag.id)).where(Flag.resolved_at.is_(None))) > 0
    assert db.session.scalar(sa.select(sa.func.count(ModerationAction.id))) >= hidden

    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0, again.output
    assert db.session.scalar(sa.select(sa.func.count(Comment.id))) == total
    assert db.session.scalar(sa.select(sa.func.count(Consultation.id))) == len(consultations)
