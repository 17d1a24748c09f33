"""The network page in a real browser: headless Chromium, offline, on the page as written.

Chromium is looked for at /usr/bin/chromium. Without it these tests are skipped, except when
the environment variable CI is set: there a missing browser is a failure (a skipped test
looks passed).

Every Chromium here runs with no way out: background services off, a proxy that is not there
(127.0.0.1:9) for every host, host names resolved to nothing; the page's own CSP forbids
requests too. The tests check that the network drew what the page holds, that nothing but the
file itself was loaded, that no socket reached beyond this machine, that hostile text from
articles never ran, and that the search box, the filters and the presenter view work. A few
screenshots at projector size (1920x1080) are kept in tests/artifacts/ for people to look at.
"""

from __future__ import annotations

import json
import os
import re
import struct
import subprocess
import time
from pathlib import Path

import pytest
import yaml

from kg.loading import load_paths
from kg.privacy import KEY_ENV, pseudonym
from kg.stores.ladybug import LadybugStore
from kg.viz import Chromium, network_view, write_network_html

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "chechnya"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

OFFLINE = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost",
]

# Each would, if it ran, set the title to "pwned" or mark the body.
PWN = "document.title='pwned';document.body.setAttribute('data-pwned','1')"
PAYLOADS = [
    f"<script>{PWN}</script>",
    f'<img src=x onerror="{PWN}">',
    f"</script><script>{PWN}</script>",
    f'<a href="javascript:{PWN}">href</a>',
    f"<svg onload=\"{PWN}\"></svg>",
]
HOSTILE_QUOTE = " ".join(PAYLOADS) + " href"
SECRET_NAME = "Aslan Secretov"


def hostile_case() -> str:
    quote_b = "Aslan Secretov was taken away at night"
    article = (f'Officials said "{HOSTILE_QUOTE}" in a statement. A witness said "{quote_b}". '
               "Bidi \u202egnirts\u202c and zero\u200bwidth.")
    case = {
        "article": {"title": f"Hostile {PAYLOADS[2]} report", "publisher": f"Evil {PAYLOADS[1]} Press",
                    "published": "2024-01-02", "url": f"javascript:{PWN}", "text": article},
        "actors": [
            {"id": "official", "name": f"Mallory {PAYLOADS[1]}", "type": "GovernmentBody",
             "description": HOSTILE_QUOTE},
            {"id": "witness", "name": "Open Witness", "type": "Person"},
            {"id": "secret", "name": SECRET_NAME, "aliases": ["Uncle Hidden"], "type": "Person",
             "sensitive": True, "roles": ["victim"], "description": "Lives at the secret address"},
            {"id": "bidi", "name": "Bidi \u202egnirts\u202c Man", "type": "Person"},
        ],
        "events": [{"id": "taking", "type": "kidnapping", "label": f"Aslan Secretov taken away {PAYLOADS[0]}",
                    "evidence": "taken away at night", "participants": [{"actor": "secret", "role": "victim"}]}],
        "statements": [
            {"id": "hostile", "speaker": "official", "text": HOSTILE_QUOTE, "kind": "direct", "stance": "denial",
             "about": ["taking"]},
            {"id": "witness-says", "speaker": "witness", "text": quote_b, "kind": "direct", "stance": "testimony",
             "about": ["taking", "secret"]},
        ],
        "contradictions": [{"a": "hostile", "b": "witness-says", "basis": "polarity",
                            "explanation": f"Denial against testimony; {HOSTILE_QUOTE}"}],
    }
    return yaml.safe_dump(case, allow_unicode=True, sort_keys=False)


@pytest.fixture(scope="module")
def chromium():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing at /usr/bin/chromium (apt-get install chromium): the browser "
                        "tests cannot run, and in CI that is a failure", pytrace=False)
        pytest.skip("no Chromium at /usr/bin/chromium")
    return str(CHROMIUM)


@pytest.fixture(scope="module")
def key():
    patcher = pytest.MonkeyPatch()
    patcher.setenv(KEY_ENV, "browser-test-key")
    yield b"browser-test-key"
    patcher.undo()


@pytest.fixture(scope="module")
def example_store(tmp_path_factory, key):
    store = LadybugStore(tmp_path_factory.mktemp("example") / "db")
    load_paths(store, [EXAMPLE])
    yield store
    store.close()


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory, key):
    cases = tmp_path_factory.mktemp("cases")
    (cases / "hostile.yaml").write_text(hostile_case(), encoding="utf-8")
    store = LadybugStore(tmp_path_factory.mktemp("hostile") / "db")
    load_paths(store, [cases])
    yield store
    store.close()


def open_page(chromium: str, page: Path, fragment: str = "", *, width: int = 1920, height: int = 1080) -> Chromium:
    browser = Chromium(chromium)
    try:
        browser.open(page.resolve().as_uri() + fragment, width=width, height=height)
        browser.wait_for("document.body && document.body.getAttribute('data-kg-ready') === 'true'", timeout=60)
    except BaseException:
        browser.close()
        raise
    return browser


def body(browser: Chromium, name: str):
    return browser.evaluate(f"document.body.getAttribute({json.dumps(name)})")


def not_pwned(browser: Chromium, title: str) -> None:
    assert browser.evaluate("document.title") == title
    assert body(browser, "data-pwned") is None
    assert browser.evaluate("document.querySelectorAll('img, iframe, object, embed, a[href]').length") == 0
    assert browser.evaluate("document.querySelectorAll('script').length") == 3


def only_the_file(browser: Chromium, page: Path) -> None:
    urls = browser.requested_urls()
    assert page.resolve().as_uri() in urls
    outside = [u for u in urls if not (u.startswith("file:") or u.startswith("data:"))]
    assert outside == [], outside
    assert {u for u in urls if u.startswith("file:")} == {page.resolve().as_uri()}


def keep(browser: Chromium, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    path.write_bytes(browser.screenshot())
    return path


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


# --- plain Chromium flags: draw, dump the DOM, read the net log ---------------------------------------------


def test_page_draws_offline_and_hostile_text_never_runs(chromium, hostile_store, tmp_path):
    page = tmp_path / "hostile.html"
    title = "Hostile demo"
    result = write_network_html(hostile_store, page, title=title, include_articles=True)
    net_log = tmp_path / "net.json"
    profile = tmp_path / "profile"
    completed = subprocess.run(
        [chromium, *OFFLINE, f"--user-data-dir={profile}", f"--log-net-log={net_log}", "--window-size=1920,1080",
         "--virtual-time-budget=15000", "--dump-dom", page.resolve().as_uri()],
        capture_output=True, text=True, timeout=120, env={**os.environ, "HOME": str(tmp_path)},
    )
    dom = completed.stdout
    assert "<body" in dom, completed.stderr[-2000:]
    tag = re.search(r"<body[^>]*>", dom).group(0)
    assert f'data-kg-drawn-nodes="{result["nodes"]}"' in tag
    assert f'data-kg-drawn-edges="{result["edges"]}"' in tag
    assert 'data-kg-ready="true"' in tag and "data-pwned" not in tag
    assert re.search(r"<title>(.*?)</title>", dom).group(1) == title
    # The payloads are in the page, but only as JSON text inside the data script.
    markup = re.sub(r"<script\b.*?</script>", "", dom, flags=re.DOTALL | re.IGNORECASE)
    assert not re.search(r"<(img|iframe|object|embed|a)\b", markup, re.IGNORECASE)
    assert not re.search(r"<[a-z][^>]*\son\w+\s*=", markup, re.IGNORECASE)  # no element with a handler
    assert "&lt;/script&gt;&lt;script&gt;document.title='pwned'" in markup  # the title slide's sources: text

    # No socket reached beyond this machine: TCP only to the dead proxy on loopback, no name ever
    # looked up, no datagram sent. (The one UDP "connect" is Chromium's IPv6 reachability probe,
    # which sends nothing.)
    log = json.loads(net_log.read_text(encoding="utf-8"))
    types = {number: name for name, number in log["constants"]["logEventTypes"].items()}
    loopback = re.compile(r"^(127\.\d+\.\d+\.\d+|\[::1\]):\d+$")
    for event in log["events"]:
        kind, params = types[event["type"]], event.get("params") or {}
        if kind in ("TCP_CONNECT_ATTEMPT", "TCP_CONNECT_JOB_CONNECTOR_CONNECT_START") and "address" in params:
            assert loopback.match(params["address"]), (kind, params)
        if kind == "TCP_CONNECT" and "address_list" in params:
            assert all(loopback.match(a) for a in params["address_list"]), params
        if kind == "HOST_RESOLVER_MANAGER_REQUEST" and "host" in params:
            assert re.match(r"^(\w+://)?(~notfound|localhost)(:\d+)?$", params["host"]), params
        assert "BYTES_SENT" not in kind or loopback.match(str(params.get("address", "127.0.0.1:0"))), (kind, params)
        if kind == "UDP_CONNECT" and "address" in params:
            assert params["address"].startswith("[2001:4860:4860::8888]"), params
    assert not [t for t in map(types.get, (e["type"] for e in log["events"])) if t == "UDP_BYTES_SENT"]


# --- the demo at projector size ---------------------------------------------------------------------------


def test_demo_draws_and_presents(chromium, example_store, tmp_path):
    page = tmp_path / "network.html"
    title = "Chechnya: denials and testimony (2018)"
    result = write_network_html(example_store, page, title=title)
    story = network_view(example_store, title=title).story
    browser = open_page(chromium, page)
    try:
        assert int(body(browser, "data-kg-drawn-nodes")) == result["nodes"]
        assert int(body(browser, "data-kg-drawn-edges")) == result["edges"]
        assert body(browser, "data-kg-mode") == "explore"
        time.sleep(0.3)
        shot = keep(browser, "demo.png")
        assert png_size(shot.read_bytes()) == (1920, 1080)

        browser.key("p")  # presenter view: the title slide (behind it, the layout redone for large type)
        assert browser.evaluate("!document.getElementById('kg-slide').hidden")
        browser.wait_for("!document.body.hasAttribute('data-kg-busy')", timeout=30)
        assert browser.evaluate("document.getElementById('kg-slide-subtitle').textContent").endswith(
            "20 contradictions")
        assert browser.evaluate("getComputedStyle(document.querySelector('aside')).display") == "none"
        keep(browser, "demo-present-title.png")

        browser.key("ArrowRight")  # the first contradiction
        time.sleep(1.0)
        assert body(browser, "data-kg-step") == "1"
        assert browser.evaluate("document.getElementById('kg-slide').hidden")
        head = browser.evaluate("document.getElementById('kg-caption-head').textContent")
        assert head.startswith("Contradiction 1 of 20")
        assert browser.evaluate("document.getElementById('kg-quote-a').textContent") == story[0]["sides"][0]["quote"]
        assert browser.evaluate("document.getElementById('kg-quote-b').textContent") == story[0]["sides"][1]["quote"]
        assert sorted(browser.evaluate("kgPage.network.getSelectedNodes()")) == sorted(story[0]["nodes"])
        size = browser.evaluate("parseFloat(getComputedStyle(document.getElementById('kg-quote-a')).fontSize)")
        assert size >= 28  # readable from the back of a room
        keep(browser, "demo-present-light.png")

        browser.key("t")  # dark theme
        browser.key("PageDown")
        time.sleep(1.0)
        assert body(browser, "data-kg-step") == "2" and body(browser, "data-kg-theme") == "dark"
        assert browser.evaluate("document.body.classList.contains('kg-dark')")
        assert browser.evaluate("document.getElementById('kg-quote-a').textContent") == story[1]["sides"][0]["quote"]
        keep(browser, "demo-present-dark.png")

        for key, step in (("PageUp", "1"), (" ", "2"), ("ArrowLeft", "1"), ("ArrowDown", "2"), ("Home", "0"),
                          ("End", str(len(story) + 1))):
            browser.key(key)
            assert body(browser, "data-kg-step") == step, key
        browser.key("t")
        assert body(browser, "data-kg-theme") == "light"
        browser.key("Escape")
        assert body(browser, "data-kg-mode") == "explore"
        assert browser.evaluate("document.getElementById('kg-caption').hidden")
        only_the_file(browser, page)
        not_pwned(browser, title)
    finally:
        browser.close()


def test_presenter_view_from_the_start_in_dark(chromium, example_store, tmp_path):
    page = tmp_path / "talk.html"
    result = write_network_html(example_store, page, title="Talk", present=True, theme="dark",
                                contradictions_only=True)
    browser = open_page(chromium, page, "#step=3")
    try:
        assert int(body(browser, "data-kg-drawn-nodes")) == result["nodes"]
        assert body(browser, "data-kg-mode") == "present" and body(browser, "data-kg-theme") == "dark"
        assert body(browser, "data-kg-step") == "3"
        time.sleep(1.0)
        keep(browser, "contradictions-present-dark.png")
    finally:
        browser.close()


def test_a_capped_page_says_so_on_its_title_slide(chromium, example_store, tmp_path):
    page = tmp_path / "capped.html"
    result = write_network_html(example_store, page, title="Capped", present=True, max_nodes=10)
    browser = open_page(chromium, page)
    try:
        assert int(body(browser, "data-kg-drawn-nodes")) == result["nodes"] == 10
        assert browser.evaluate("document.getElementById('kg-slide-view').textContent") == (
            "Showing: the 10 most important of 82 nodes (contradictions first, then the most connected)")
    finally:
        browser.close()


# --- hostile text, pseudonyms, search and filters in the browser ---------------------------------------------


def hover_all(browser: Chromium) -> list[dict]:
    """Move the mouse onto every node; what the tooltip shows each time."""
    seen = []
    for node_id in browser.evaluate("kgPage.network.body.nodeIndices.slice()"):
        x, y = browser.evaluate(
            "(function (id) { var n = kgPage.network, p = n.canvasToDOM(n.getPositions([id])[id]);"
            " var r = document.getElementById('kg-network').getBoundingClientRect();"
            f" return [p.x + r.left, p.y + r.top]; }})({json.dumps(node_id)})")
        browser.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": 5, "y": 5})
        browser.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y})
        time.sleep(0.05)
        seen.append(browser.evaluate(
            "(function () { var t = document.getElementById('kg-tip');"
            " return {hidden: t.hidden, text: t.textContent, children: t.childElementCount}; })()"))
    return seen


def test_hostile_text_is_shown_as_text(chromium, hostile_store, tmp_path, key):
    page = tmp_path / "hostile.html"
    title = f"Hostile {PAYLOADS[0]}"
    write_network_html(hostile_store, page, title=title, include_articles=True)
    browser = open_page(chromium, page)
    try:
        browser.evaluate("kgPage.network.moveTo({scale: 1.0})")
        time.sleep(0.2)
        tips = [t for t in hover_all(browser) if not t["hidden"]]
        assert len(tips) >= 5
        assert all(t["children"] == 0 for t in tips)  # text, not elements
        texts = "\n".join(t["text"] for t in tips)
        assert HOSTILE_QUOTE in texts and f"Mallory {PAYLOADS[1]}" in texts
        assert "Bidi gnirts Man" in texts
        assert not re.search("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]", texts)
        assert SECRET_NAME not in texts and "secretov" not in browser.evaluate("document.body.innerText").lower()

        browser.key("p")
        browser.key("ArrowRight")
        time.sleep(0.8)
        captions = browser.evaluate("document.getElementById('kg-caption').textContent")
        assert HOSTILE_QUOTE in captions
        assert browser.evaluate("document.getElementById('kg-caption').querySelectorAll('*').length") == 14  # as written: no element added
        actor_id = hostile_store.run("MATCH (a:Actor) WHERE a.sensitive RETURN a.id").rows[0][0]
        assert pseudonym(actor_id, key) + " was taken away at night" in captions
        assert SECRET_NAME not in captions
        slide = browser.evaluate("document.getElementById('kg-slide').textContent")
        assert PAYLOADS[2] in slide  # the article title in the sources, as text
        not_pwned(browser, f"Hostile {PAYLOADS[0]}")
    finally:
        browser.close()


def search(browser: Chromium, text: str) -> int:
    browser.evaluate("(function () { var s = document.getElementById('kg-search'); s.value = ''; s.focus(); })()")
    browser.type_text(text)
    browser.wait_for(f"document.getElementById('kg-search').value === {json.dumps(text)} && "
                     "document.body.hasAttribute('data-kg-matches')")
    time.sleep(0.4)  # the search waits for typing to pause
    return int(body(browser, "data-kg-matches"))


def test_search_finds_pseudonyms_not_real_names(chromium, hostile_store, tmp_path, key):
    actor_id = hostile_store.run("MATCH (a:Actor) WHERE a.sensitive RETURN a.id").rows[0][0]
    alias = pseudonym(actor_id, key)
    page = tmp_path / "hidden.html"
    write_network_html(hostile_store, page)
    browser = open_page(chromium, page)
    try:
        assert search(browser, SECRET_NAME) == 0
        assert search(browser, "Uncle Hidden") == 0
        assert search(browser, alias) == 3  # the person, the event and the quote naming them
        selected = int(body(browser, "data-kg-selected"))
        assert browser.evaluate("kgPage.network.getSelectedNodes()") == [selected]
        assert browser.evaluate(f"kgPage.network.body.data.nodes.get({selected}).label") == alias
        assert search(browser, "open witness") == 1  # case does not matter
    finally:
        browser.close()

    revealed = tmp_path / "revealed.html"
    write_network_html(hostile_store, revealed, reveal=True)
    browser = open_page(chromium, revealed)
    try:
        assert search(browser, "aslan secretov") >= 1
        assert search(browser, "Uncle Hidden") == 1
    finally:
        browser.close()


def test_filters_by_type_and_date(chromium, example_store, tmp_path):
    page = tmp_path / "filters.html"
    result = write_network_html(example_store, page)
    data = network_view(example_store)
    statements = sum(1 for n in data.nodes if n["kgType"] == "Statement")
    browser = open_page(chromium, page)
    try:
        browser.evaluate("document.querySelector('#kg-types input[value=Statement]').click()")
        assert int(body(browser, "data-kg-shown-nodes")) == result["nodes"] - statements
        assert int(body(browser, "data-kg-drawn-nodes")) == result["nodes"]
        browser.evaluate("document.querySelector('#kg-types input[value=Statement]').click()")
        assert int(body(browser, "data-kg-shown-nodes")) == result["nodes"]

        expected = network_view(example_store, date_from="2017-09", date_to="2017-12").counts["nodes"]
        browser.evaluate("document.getElementById('kg-from').focus()")
        browser.type_text("2017-09")
        browser.evaluate("document.getElementById('kg-to').focus()")
        browser.type_text("2017-12")
        browser.wait_for(f"document.body.getAttribute('data-kg-shown-nodes') === '{expected}'", timeout=10)
        status = browser.evaluate("document.getElementById('kg-filter-status').textContent")
        assert status == f"Showing {expected} of {result['nodes']} nodes."
    finally:
        browser.close()


def test_png_export(chromium, example_store, tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CHROMIUM", chromium)
    view = network_view(example_store, title="Contradictions", contradictions_only=True, present=True)
    result = view.write_png(tmp_path / "slide.png")
    data = (tmp_path / "slide.png").read_bytes()
    assert png_size(data) == (1920, 1080) and len(data) > 20_000
    assert result["nodes"] == view.counts["nodes"]
    view.write_png(tmp_path / "step.png", step=2)
    assert png_size((tmp_path / "step.png").read_bytes()) == (1920, 1080)
