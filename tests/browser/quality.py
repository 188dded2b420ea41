"""What the browser tests measure on a page beyond its behaviour: accessibility (axe-core), horizontal
overflow, page weight, images that reserve no space, and screenshots. Every function takes a
Playwright page that has already loaded what it checks (except ``page_weight``, which loads its own)
and returns plain data, so a test asserts on it and a failure message names what to fix.

axe-core comes from npm with the viewers (``scripts/viewers`` copies ``axe.min.js`` into
``catalogue/static/vendor/axe-core/``); no page of the site loads it, only these tests inject it.

Why the page keeps its Content-Security-Policy while axe runs: the site sends ``script-src 'self'``
and ``style-src 'self'`` (catalogue/views/security.py), so ``page.add_script_tag(path=...)``, which
adds an *inline* script, is refused by the page. Turning the policy off for the test context
(Playwright's ``bypass_csp=True``) would make it work, but it switches off the whole policy: inline
``style=""`` attributes and inline scripts that every visitor's browser refuses would then apply in
the test, and axe (contrast, names, focus order), the overflow and the screenshots would measure a
page no visitor sees. So the policy stays on, unchanged, and the same file is evaluated through the
DevTools protocol (``page.evaluate``), which the policy does not govern; nothing is added to the DOM.
A test that needs an added script tag all the same can make its context with ``bypass_csp=True``:
``axe_violations`` then finds ``axe`` already defined and only runs it.
"""

import re
from pathlib import Path
from typing import NamedTuple

from tests.browser.conftest import ARTIFACTS

AXE_JS = Path(__file__).resolve().parents[2] / "catalogue" / "static" / "vendor" / "axe-core" / "axe.min.js"
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21aa", "wcag22aa")
SCREENSHOTS = ARTIFACTS / "screenshots"


class Size(NamedTuple):
    """A screen size; ``viewport`` is what ``browser.new_context(viewport=...)`` takes."""

    name: str
    width: int
    height: int

    @property
    def viewport(self) -> dict:
        return {"width": self.width, "height": self.height}

    def __str__(self) -> str:
        return f"{self.name} {self.width}x{self.height}"


DESKTOP = Size("desktop", 1366, 900)
PHONE = Size("phone", 390, 844)
NARROW = Size("narrow", 320, 640)  # the narrowest phones in use; WCAG 1.4.10 reflow is measured at 320 CSS px


def new_page(browser, size: Size = DESKTOP, **context_options):
    """A page in a context of its own at ``size`` (close it with ``page.context.close()``)."""
    context = browser.new_context(viewport=size.viewport, **context_options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


# --- accessibility ---------------------------------------------------------------------------------


def axe_violations(page, tags=WCAG_TAGS) -> list[dict]:
    """axe-core's violations of the page as it is now, for the rules tagged with any of ``tags``: a list
    of ``{"id", "impact", "help", "help_url", "targets": [css selector, ...]}``, worst impact first."""
    if not AXE_JS.exists():
        raise AssertionError(f"{AXE_JS} is missing: run scripts/viewers (it copies axe-core from npm)")
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    found = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, help_url: v.helpUrl,
                targets: v.nodes.map(node => node.target.map(String).join(" >>> ")),
            }));
        }""",
        list(tags),
    )
    order = {"critical": 0, "serious": 1, "moderate": 2, "minor": 3}
    return sorted(found, key=lambda v: (order.get(v["impact"], 4), v["id"]))


def format_violations(violations: list[dict], examples: int = 3) -> str:
    """One line per rule (impact, id, node count, what it asks) and a few of the nodes, for an assertion
    message: ``serious color-contrast x4: Elements must meet minimum color contrast ratio thresholds``."""
    if not violations:
        return "no axe violations"
    lines = [f"{len(violations)} axe rule(s) violated:"]
    for v in violations:
        targets = v["targets"]
        lines.append(f"  {v['impact'] or '?'} {v['id']} x{len(targets)}: {v['help']} ({v['help_url']})")
        lines.extend(f"      {target}" for target in targets[:examples])
        if len(targets) > examples:
            lines.append(f"      ... and {len(targets) - examples} more")
    return "\n".join(lines)


# --- layout ----------------------------------------------------------------------------------------

_CSS_PATH = """
function cssPath(el) {
    // up to four steps, then the nearest ancestor with an id or a class, so a selector names its place
    const step = el => {
        if (el.id) return el.localName + "#" + CSS.escape(el.id);
        const classes = [...el.classList].slice(0, 2).map(c => "." + CSS.escape(c)).join("");
        const parent = el.parentElement;
        if (classes || !parent) return el.localName + classes;
        const same = [...parent.children].filter(c => c.localName === el.localName);
        return el.localName + (same.length > 1 ? `:nth-of-type(${same.indexOf(el) + 1})` : "");
    };
    const parts = [];
    for (; el && el.nodeType === 1 && el !== document.documentElement; el = el.parentElement) {
        const part = step(el);
        if (parts.length < 4) parts.unshift(part);
        else if (el.id || el.classList.length) { parts.unshift(part, "…"); break; }
        if (el.id) break;
    }
    return parts.join(" > ").replace("> … >", "…");
}
"""


class Overflow(int):
    """How many CSS pixels the page is wider than the window (0 or less: no horizontal scrolling), with
    the elements that stick out furthest, so ``assert horizontal_overflow(page) <= 0`` says where."""

    elements: list[str]

    def __new__(cls, pixels: int, elements: list[str]):
        value = super().__new__(cls, pixels)
        value.elements = elements
        return value

    def __repr__(self) -> str:
        if int(self) <= 0:
            return f"{int(self)} px (no overflow)"
        return f"{int(self)} px wider than the window; furthest out: {'; '.join(self.elements) or '?'}"


def horizontal_overflow(page) -> Overflow:
    """``document.documentElement.scrollWidth - window.innerWidth``; when positive, also the elements
    whose right edge sticks out furthest (innermost first among equals, those clipped by a scrolling or
    hidden-overflow ancestor left out), as selectors with their right edge."""
    pixels, elements = page.evaluate(
        "() => {"
        + _CSS_PATH
        + """
        const width = window.innerWidth;
        const overflow = document.documentElement.scrollWidth - width;
        if (overflow <= 0) return [overflow, []];
        const clipped = el => {
            for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
                if (getComputedStyle(a).overflowX !== "visible") return true;
            }
            return false;
        };
        const out = [];
        document.body.querySelectorAll("*").forEach((el, index) => {
            const box = el.getBoundingClientRect();
            const right = Math.round(box.right + window.scrollX);
            if (box.width > 0 && right > width && !clipped(el)) out.push({el, right, index});
        });
        out.sort((a, b) => b.right - a.right || b.index - a.index);
        return [overflow, out.slice(0, 3).map(o =>
            `${cssPath(o.el)} (right edge ${o.right}px, width ${Math.round(o.el.getBoundingClientRect().width)}px)`)];
    }"""
    )
    return Overflow(pixels, elements)


def images_without_dimensions(page) -> list[str]:
    """Every ``<img>`` lacking its ``width`` or ``height`` attribute (the browser cannot reserve its space
    before it loads, so the page jumps): ``"img[src=/images/1/thumbnail] in li.card > a: no height"``."""
    return page.evaluate(
        "() => {"
        + _CSS_PATH
        + """
        return [...document.querySelectorAll("img")].flatMap(img => {
            const missing = ["width", "height"].filter(name => !img.hasAttribute(name));
            if (!missing.length) return [];
            const src = (img.getAttribute("src") || img.currentSrc || "").replace(location.origin, "").slice(0, 80);
            const where = img.parentElement ? cssPath(img.parentElement) : "?";
            return [`img[src=${src}] in ${where}: no ${missing.join(", no ")}`];
        });
    }"""
    )


# --- weight ----------------------------------------------------------------------------------------

COUNTED = ("html", "css", "js")


def _kind(entry: dict) -> str:
    content = (entry.get("contentType") or "").split(";")[0].strip()
    path = re.sub(r"[?#].*", "", entry["name"]).lower()
    if entry["entryType"] == "navigation" or content == "text/html":
        return "html"
    if content == "text/css" or path.endswith(".css"):
        return "css"
    if "javascript" in content or path.endswith((".js", ".mjs")):
        return "js"
    if content.startswith("image/") or entry.get("initiatorType") == "img":
        return "image"
    if content.startswith("font/") or path.endswith((".woff2", ".woff", ".ttf", ".otf")):
        return "font"
    if entry.get("initiatorType") == "link" and not content:
        return "css"
    if entry.get("initiatorType") == "script" and not content:
        return "js"
    return "other"


def page_weight(page, url: str) -> dict:
    """What a first visit to ``url`` transfers, loaded in a fresh page of a fresh context (empty cache)
    at the same viewport as ``page``, from the Performance API's navigation and resource entries once
    the network is idle.

    ``total`` is the sum of the HTML, CSS and JS response bodies as transferred (``encodedBodySize``:
    compressed when the server compresses, headers not included), the figure a test holds under its
    budget; ``html``/``css``/``js`` split it. Images, fonts and other responses (JSON, tiles) are
    listed in ``uncounted`` and not added. ``transfer`` is the same sum with headers
    (``transferSize``). ``responses`` lists every response: ``(kind, bytes, path)``, largest first."""
    context = page.context.browser.new_context(viewport=page.viewport_size)
    try:
        fresh = context.new_page()
        fresh.goto(url, wait_until="networkidle")
        entries = fresh.evaluate(
            """() => [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")]
                .map(e => ({name: e.name, entryType: e.entryType, initiatorType: e.initiatorType,
                            contentType: e.contentType || "", encoded: e.encodedBodySize, transfer: e.transferSize}))"""
        )
    finally:
        context.close()
    weight: dict = {"url": url, "total": 0, "transfer": 0, "uncounted": {}, "responses": []}
    weight.update(dict.fromkeys(COUNTED, 0))
    origin = re.match(r"https?://[^/]+", url)
    for entry in entries:
        kind = _kind(entry)
        path = entry["name"].removeprefix(origin.group(0)) if origin else entry["name"]
        weight["responses"].append((kind, entry["encoded"], path))
        if kind in COUNTED:
            weight[kind] += entry["encoded"]
            weight["total"] += entry["encoded"]
            weight["transfer"] += entry["transfer"]
        else:
            weight["uncounted"][kind] = weight["uncounted"].get(kind, 0) + entry["encoded"]
    weight["responses"].sort(key=lambda r: -r[1])
    return weight


def format_weight(weight: dict, examples: int = 6) -> str:
    """The weight in one line per kind and the largest responses, for an assertion message."""

    def kb(n: int) -> str:
        return f"{n / 1000:.1f} kB"

    counted = ", ".join(f"{kind} {kb(weight[kind])}" for kind in COUNTED)
    uncounted = ", ".join(f"{kind} {kb(n)}" for kind, n in sorted(weight["uncounted"].items())) or "none"
    lines = [
        f"{weight['url']}: {kb(weight['total'])} of HTML, CSS and JS ({counted}; "
        f"with headers {kb(weight['transfer'])})",
        f"  not counted: {uncounted}",
    ]
    lines.extend(f"  {kb(size):>10}  {kind:5}  {path}" for kind, size, path in weight["responses"][:examples])
    return "\n".join(lines)


# --- form fields ---------------------------------------------------------------------------------

FIELD_HEIGHT = 40  # px: the site's fields are 2.5rem high, a target a finger can hit (WCAG 2.5.8 asks 24)
NOT_TYPED_INTO = ("hidden", "checkbox", "radio", "submit", "button", "file", "image", "reset", "range", "color")


def fields_below_height(page, height: int = FIELD_HEIGHT) -> list[str]:
    """Visible fields a person types into or chooses from that are less than ``height`` px high (an
    input type the stylesheet forgot keeps the browser's 21 px), as ``selector height``."""
    return page.evaluate(
        "([height, skipped]) => {"
        + _CSS_PATH
        + """
        return [...document.querySelectorAll("input, select, textarea")].filter(el => {
            const type = (el.getAttribute("type") || "text").toLowerCase();
            const box = el.getBoundingClientRect();
            return !skipped.includes(type) && box.width > 1 && box.height > 1 && box.height < height;
        }).map(el => `${cssPath(el)} ${Math.round(el.getBoundingClientRect().height)}px`);
    }""",
        [height, list(NOT_TYPED_INTO)],
    )


# --- pictures --------------------------------------------------------------------------------------


def save_screenshot(page, name: str) -> Path:
    """A full-page PNG of the page as it is now, as ``.artifacts/screenshots/<name>.png``."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^A-Za-z0-9._-]+', '-', name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def headers_split_mid_word(page) -> list[str]:
    """Table headers of one word that the table drew on more than one line ("Imag|es"), as text;
    text only screen readers get (visually hidden, 1 px wide) is left out."""
    return cells_split_mid_word(page, "th")


def cells_split_mid_word(page, selector: str) -> list[str]:
    """The elements matching ``selector`` whose text, one word (no space), was drawn on more than one
    line ("SSM-|003", a CJK word a character per line), as text; visually hidden text is left out."""
    return page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)].map(cell => {
            const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
            const lines = new Set();
            let text = "";
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                if (node.parentElement.getBoundingClientRect().width <= 1) continue;
                text += node.textContent;
                const range = document.createRange();
                range.selectNodeContents(node);
                for (const rect of range.getClientRects()) lines.add(Math.round(rect.top));
            }
            return [text.trim(), lines.size];
        }).filter(([text, lines]) => text && !/\\s/.test(text) && lines > 1).map(([text]) => text)""",
        selector,
    )
