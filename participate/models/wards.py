"""Wards: the electoral areas a council is divided into, identified by their ONS (GSS) code."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from participate.models.base import Base


class Ward(Base):
    """An electoral ward, loaded from data (`import-wards`), never written in code."""

    __tablename__ = "wards"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(9), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    councillors: Mapped[int | None]
    # Wards from an earlier boundary set stay (contributions point at them) but are not offered.
    is_current: Mapped[bool] = mapped_column(default=True)

    def __repr__(self) -> str:
        return f"<Ward {self.code} {self.name}>"
