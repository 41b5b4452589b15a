"""The vendored lunr.js is the exact npm release lunr@2.3.9 that lunr.py 0.8.0 targets."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import lunr

VENDOR = Path(__file__).resolve().parent.parent / "static" / "vendor" / "lunr"
LUNR_MIN_JS_SHA256 = "0c50d9002b85780a842afffb567bb54ede402dae7c6dc5997a018614d8044fc8"
NPM_INTEGRITY = "sha512-" + (
    "zTU3DaZaF3Rt9rhN3uBMGQD3dD2/vFQqnvZCDv4dl5iOzq2IZQqTxu90r4E5J+nP70J3ilqVCrbho2eWaeW8Ow=="
)


def test_lunr_min_js_matches_the_recorded_sha256() -> None:
    digest = hashlib.sha256((VENDOR / "lunr.min.js").read_bytes()).hexdigest()
    assert digest == LUNR_MIN_JS_SHA256


def test_readme_records_the_same_provenance() -> None:
    readme = (VENDOR / "README.md").read_text(encoding="utf-8")
    assert LUNR_MIN_JS_SHA256 in readme
    assert NPM_INTEGRITY in readme
    assert "lunr@2.3.9" in readme


def test_license_is_vendored() -> None:
    text = (VENDOR / "LICENSE").read_text(encoding="utf-8")
    assert "Oliver Nightingale" in text
    assert "Permission is hereby granted, free of charge" in text


def test_lunr_min_js_declares_version_2_3_9() -> None:
    text = (VENDOR / "lunr.min.js").read_text(encoding="utf-8")
    header = text.splitlines()[1]
    assert header.rstrip().endswith("- 2.3.9")
    assert re.findall(r'\.version="([^"]+)"', text) == ["2.3.9"]


def test_lunr_py_targets_the_vendored_version() -> None:
    assert lunr.__TARGET_JS_VERSION__ == "2.3.9"
