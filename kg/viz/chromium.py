"""Headless Chromium, talking to no one: renders the page to PNG, and runs it for the tests."""

from __future__ import annotations

import base64
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
import weakref
from pathlib import Path
from typing import Any, Mapping, Sequence

from kg.errors import KGError


# --- headless Chromium ----------------------------------------------------------------------------------

#: Flags for a Chromium that talks to no one: no background services, and every request a page
#: might make goes to a proxy that is not there (the page's CSP already forbids them).
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--no-default-browser-check",
    "--disable-default-apps", "--disable-extensions", "--disable-domain-reliability",
    "--disable-client-side-phishing-detection", "--no-pings", "--metrics-recording-only",
    "--disable-breakpad", "--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication",
    "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost", "--hide-scrollbars",
    "--force-color-profile=srgb", "--font-render-hinting=none",
)


def find_chromium(explicit: str | None = None) -> str | None:
    """The Chromium to use: the one given, $KG_CHROMIUM, or chromium / chromium-browser /
    google-chrome on the PATH."""
    for candidate in (explicit, os.environ.get("KG_CHROMIUM")):
        if candidate:
            return candidate
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


_ONTO_3_AND_4 = "import os, sys; os.dup2(int(sys.argv[1]), 3); os.dup2(int(sys.argv[2]), 4); os.execv(sys.argv[3], sys.argv[3:])"


def _stop_browser(process: subprocess.Popen, folder: tempfile.TemporaryDirectory) -> None:
    if process.poll() is None:
        process.kill()  # the browser started here, by its own id
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
    folder.cleanup()


def _high_fd(fd: int) -> int:
    import fcntl

    high = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return high


class Chromium:
    """A headless Chromium driven over the DevTools protocol on a pipe (--remote-debugging-pipe):
    no port is opened and nothing is installed. Its profile, and HOME for anything else it
    writes, are a temporary folder removed on close.

        with Chromium() as browser:
            browser.open(Path("page.html").resolve().as_uri(), width=1920, height=1080)
            browser.wait_for("document.body.dataset.kgReady === 'true'")
            png = browser.screenshot()
    """

    def __init__(self, binary: str | None = None, *, extra_flags: Sequence[str] = (), timeout: float = 60.0) -> None:
        found = find_chromium(binary)
        if not found:
            raise KGError("a picture needs Chromium: install it (apt-get install chromium) or set KG_CHROMIUM")
        self.timeout = timeout
        self.events: list[dict[str, Any]] = []
        self._folder = tempfile.TemporaryDirectory(prefix="kg-chromium-")
        profile = Path(self._folder.name) / "profile"
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        # The child's ends go above 9, so that putting them on 3 and 4 cannot overwrite each other.
        to_browser_r, from_browser_w = (_high_fd(fd) for fd in (to_browser_r, from_browser_w))
        args = [found, *CHROMIUM_FLAGS, *extra_flags, "--remote-debugging-pipe", f"--user-data-dir={profile}",
                "about:blank"]
        # Chromium reads commands on fd 3 and answers on fd 4: a small Python puts the pipes there.
        shell = [sys.executable, "-c", _ONTO_3_AND_4, str(to_browser_r), str(from_browser_w), *args]
        env = {**os.environ, "HOME": self._folder.name, "XDG_CONFIG_HOME": self._folder.name,
               "XDG_CACHE_HOME": self._folder.name}
        log = os.environ.get("KG_CHROMIUM_LOG")  # where Chromium's own messages go, when debugging
        try:
            with open(log or os.devnull, "ab") as errors:
                self.process = subprocess.Popen(shell, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                                stderr=errors, pass_fds=(to_browser_r, from_browser_w),
                                                env=env, start_new_session=True)
        except OSError as exc:
            self._folder.cleanup()
            raise KGError(f"cannot start Chromium: {exc.strerror}", where=found) from None
        finally:
            os.close(to_browser_r)
            os.close(from_browser_w)
        self._buffer = b""
        self._next = 0
        self.session: str | None = None
        # Not closed (an exception, a forgotten close): the browser is stopped and its folder
        # removed when this object goes, or at the latest when Python exits.
        self._finalizer = weakref.finalize(self, _stop_browser, self.process, self._folder)

    def __enter__(self) -> "Chromium":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def send(self, method: str, params: Mapping[str, Any] | None = None, *, session: bool = True,
             timeout: float | None = None) -> dict[str, Any]:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": dict(params or {})}
        if session and self.session:
            message["sessionId"] = self.session
        try:
            os.write(self._to_browser, json.dumps(message).encode("utf-8") + b"\0")
        except OSError:
            raise KGError("Chromium stopped answering") from None
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            reply = self._read(deadline)
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise KGError(f"Chromium: {method}: {reply['error'].get('message')}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def _read(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise KGError("Chromium did not answer in time")
            ready, _, _ = select.select([self._from_browser], [], [], left)
            if ready:
                chunk = os.read(self._from_browser, 1 << 20)
                if not chunk:
                    raise KGError("Chromium stopped answering")
                self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def open(self, url: str, *, width: int = 1920, height: int = 1080) -> None:
        targets = self.send("Target.getTargets", session=False)["targetInfos"]
        page = next((t for t in targets if t["type"] == "page"), None)
        target = page["targetId"] if page else self.send("Target.createTarget", {"url": "about:blank"},
                                                          session=False)["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True},
                                 session=False)["sessionId"]
        self.send("Network.enable")
        self.send("Page.enable")
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        self.send("Page.navigate", {"url": url})

    def evaluate(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": True})
        if "exceptionDetails" in result:
            raise KGError(f"Chromium: the page's script failed: {result['exceptionDetails'].get('text')}")
        return result.get("result", {}).get("value")

    def wait_for(self, expression: str, *, timeout: float | None = None) -> Any:
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            try:
                value = self.evaluate(expression)
            except KGError:
                value = None
            if value:
                return value
            if time.monotonic() > deadline:
                raise KGError("the page did not finish drawing in time")
            time.sleep(0.05)

    def key(self, key: str) -> None:
        """Press and release a key (names as in KeyboardEvent.key: ArrowRight, PageDown, " ", t)."""
        codes = {"ArrowRight": 39, "ArrowLeft": 37, "ArrowUp": 38, "ArrowDown": 40, "PageDown": 34, "PageUp": 33,
                 " ": 32, "Enter": 13, "Escape": 27, "Home": 36, "End": 35, "Backspace": 8}
        code = codes.get(key, ord(key.upper()) if len(key) == 1 else 0)
        params: dict[str, Any] = {"key": key, "windowsVirtualKeyCode": code, "nativeVirtualKeyCode": code}
        if len(key) == 1:
            params["text"] = key
        self.send("Input.dispatchKeyEvent", {"type": "keyDown", **params})
        self.send("Input.dispatchKeyEvent", {"type": "keyUp", **{k: v for k, v in params.items() if k != "text"}})

    def type_text(self, text: str) -> None:
        self.send("Input.insertText", {"text": text})

    def screenshot(self) -> bytes:
        return base64.b64decode(self.send("Page.captureScreenshot", {"format": "png"})["data"])

    def requested_urls(self) -> list[str]:
        return [e["params"]["request"]["url"] for e in self.events if e.get("method") == "Network.requestWillBeSent"]

    def close(self) -> None:
        self._finalizer.detach()
        try:
            if self.process.poll() is None:
                try:
                    self.send("Browser.close", session=False, timeout=5)
                except KGError:
                    pass
                try:
                    self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(timeout=10)
        finally:
            for fd in (self._to_browser, self._from_browser):
                try:
                    os.close(fd)
                except OSError:
                    pass
            self._folder.cleanup()


def render_png(document: str, *, width: int = 1920, height: int = 1080, chromium: str | None = None,
               step: int | None = None, settle: float = 0.8) -> bytes:
    """A screenshot of a page (as written by NetworkView.html) once the network is drawn, in a
    headless Chromium with no network. The page is put in a temporary folder, removed after."""
    with Chromium(chromium) as browser:
        page = Path(browser._folder.name) / "page.html"
        page.write_text(document, encoding="utf-8")
        browser.open(page.as_uri() + (f"#present&step={step}" if step is not None else "#picture"),
                     width=width, height=height)
        browser.wait_for("document.body && document.body.getAttribute('data-kg-ready') === 'true' "
                         "|| !!document.querySelector('.kg-empty')")
        time.sleep(settle)  # the fit animation of a story step
        return browser.screenshot()
