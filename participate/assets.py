"""Static files: fingerprinted addresses cached for a year, and compressed responses."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Flask, request
from flask_compress import Compress

compress = Compress()
YEAR = 365 * 24 * 3600


@lru_cache(maxsize=256)
def _fingerprint(path: str, mtime: float) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def init_app(app: Flask) -> None:
    """Add `?v=<content hash>` to every static address; such addresses never change, so cache them."""
    app.config.setdefault(
        "COMPRESS_MIMETYPES",
        [
            "text/html",
            "text/css",
            "text/javascript",
            "application/javascript",
            "application/json",
            "text/csv",
            "image/svg+xml",
            "application/manifest+json",
            "text/calendar",
            "application/atom+xml",
        ],
    )
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_MIN_SIZE", 500)
    compress.init_app(app)
    static_dir = Path(app.static_folder)

    @app.url_defaults
    def _version_static(endpoint, values):
        if endpoint == "static" and "filename" in values and "v" not in values:
            path = static_dir / values["filename"]
            if path.is_file():
                values["v"] = _fingerprint(str(path), path.stat().st_mtime)

    @app.after_request
    def _cache_static(response):
        if request.endpoint != "static" or response.status_code != 200:
            return response
        if request.args.get("v"):
            response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
        # Our static files are small: let them be read and compressed like any response
        # (this runs before the compressor, which skips pass-through file responses).
        response.direct_passthrough = False
        response.set_data(response.get_data())
        return response
