"""Phones: nothing scrolls sideways at 320 CSS px (nor at 400% zoom of 1280, WCAG 1.4.10), touch
targets are at least 24×24 px (WCAG 2.5.8), and text resizes to 200% without loss (WCAG 1.4.4)."""

from __future__ import annotations

import pytest

from tests.browser.pages import PAGE_TYPES

SIDEWAYS = "document.documentElement.scrollWidth - document.documentElement.clientWidth"

# Controls whose box must be at least 24×24 (inline links in running text are exempt in 2.5.8).
SMALL_TARGETS = """
() => {
  const out = [];
  const selector = 'button, input:not([type=hidden]), select, textarea, nav a, .button, footer a, '
    + '.summary-list__action a';
  for (const el of document.querySelectorAll(selector)) {
    if (el.closest('.hp')) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.width < 24 || r.height < 24) {
      const label = (el.textContent || el.name || '').trim().slice(0, 30);
      out.push(`${el.tagName}.${el.className} "${label}" ${Math.round(r.width)}x${Math.round(r.height)}`);
    }
  }
  return out;
}
"""

CLIPPED_TEXT = """
() => {
  const out = [];
  for (const el of document.querySelectorAll('main *, header *, footer *')) {
    const s = getComputedStyle(el);
    if ((s.overflowX === 'hidden' || s.overflow === 'hidden') && el.scrollWidth > el.clientWidth + 1
        && !el.classList.contains('visually-hidden') && !el.closest('.visually-hidden')) {
      out.push(el.tagName + '.' + el.className);
    }
  }
  return out;
}
"""


@pytest.mark.browser
@pytest.mark.parametrize(("name", "path", "who"), PAGE_TYPES, ids=[p[0] for p in PAGE_TYPES])
def test_nothing_scrolls_sideways_at_320_px_and_targets_are_big_enough(new_page, resolve, name, path, who):
    path = resolve(path)
    for lang in ("en", "ar"):
        page = new_page(width=320, height=640, lang=lang, as_=who)
        page.goto(f"{path}{'&' if '?' in path else '?'}lang={lang}")
        assert page.evaluate(SIDEWAYS) <= 0, f"{name} scrolls sideways at 320px in {lang}"
        small = page.evaluate(SMALL_TARGETS)
        assert not small, f"{name}: targets smaller than 24×24: {small}"


@pytest.mark.browser
@pytest.mark.parametrize(("name", "path", "who"), PAGE_TYPES, ids=[p[0] for p in PAGE_TYPES])
def test_400_percent_zoom_of_1280_reflows(new_page, resolve, name, path, who):
    path = resolve(path)
    # 1280 CSS px at 400% zoom leaves a 320 CSS px viewport at device scale 4.
    page = new_page(width=320, height=200, as_=who)
    page.goto(path)
    assert page.evaluate(SIDEWAYS) <= 0


@pytest.mark.browser
@pytest.mark.parametrize(("name", "path", "who"), PAGE_TYPES, ids=[p[0] for p in PAGE_TYPES])
def test_text_resizes_to_200_percent_without_loss(new_page, resolve, name, path, who):
    path = resolve(path)
    page = new_page(width=1280, height=800, as_=who)
    page.goto(path)
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    assert page.evaluate(SIDEWAYS) <= 0
    assert page.evaluate(CLIPPED_TEXT) == []
