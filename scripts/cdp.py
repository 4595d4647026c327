"""scripts/cdp.py - headless Chromium driven through the DevTools protocol
over a pipe (--remote-debugging-pipe: commands on fd 3, replies and events
on fd 4, one JSON message per NUL-terminated frame), with Python's standard
library only: no WebSocket, no port, nothing listening.

The browser starts with a fresh profile and every background service off
(no component updates, sync, safe browsing or field trials: without these
flags Chromium tries to reach Google). Pages are opened from files.

    with Browser() as b:
        page = b.open("file:///.../report.html")   # waits until <html data-ready>
        page.eval("document.title")
        page.screenshot("shot.png")
        page.requests, page.dialogs, page.violations, page.errors
        page.wall_s, page.cpu_s       # navigation to ready: wall, the renderer's CPU

Used by harness/tests/e2e/report_html.py and scripts/bench."""
import base64
import json
import os
import select
import shutil
import subprocess
import tempfile
import time

CHROMIUM = os.environ.get("TOKENBENCH_CHROMIUM", "chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--disable-extensions", "--disable-features=Translate,OptimizationHints,"
         "MediaRouter,DialMediaRouteProvider", "--disable-field-trial-config", "--metrics-recording-only",
         "--safebrowsing-disable-auto-update", "--password-store=basic", "--mute-audio",
         "--hide-scrollbars", "--remote-debugging-pipe"]

# what every page records from its first byte on, whatever its policy says:
# DevTools scripts are not subject to the page's Content-Security-Policy
WATCH = """
window.__tb = { violations: [] };
document.addEventListener('securitypolicyviolation', function (e) {
  window.__tb.violations.push(e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sample || ''));
});
"""


class Error(Exception):
    pass


def available():
    return shutil.which(CHROMIUM) is not None


class Browser:
    def __init__(self, timeout=60, width=1400, height=1000):
        self.timeout = timeout
        self.size = (width, height)
        self.profile = tempfile.mkdtemp(prefix="tb-chromium-")
        cmd_r, self.cmd_w = os.pipe()
        self.resp_r, resp_w = os.pipe()

        def fds():
            # the protocol's fds are 3 (to the browser) and 4 (from it)
            a, b = os.dup(cmd_r), os.dup(resp_w)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.log = open(os.path.join(self.profile, "chromium.log"), "wb")
        self.proc = subprocess.Popen([CHROMIUM] + FLAGS + ["--user-data-dir=" + self.profile,
                                      "--window-size=%d,%d" % self.size, "about:blank"],
                                     stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT,
                                     preexec_fn=fds, pass_fds=(3, 4), start_new_session=True)
        os.close(cmd_r)
        os.close(resp_w)
        self.buf = b""
        self.next_id = 0
        self.events = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        """ends the browser it started (its own process group: the browser and
        its helpers, by that group's id) and removes the profile"""
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, 9)
            except ProcessLookupError:
                pass
        self.proc.wait()
        for fd in (self.cmd_w, self.resp_r):
            try:
                os.close(fd)
            except OSError:
                pass
        self.log.close()
        shutil.rmtree(self.profile, ignore_errors=True)

    def _read(self, deadline):
        """the next message, or None at the deadline"""
        while b"\0" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            r, _, _ = select.select([self.resp_r], [], [], left)
            if not r:
                return None
            chunk = os.read(self.resp_r, 1 << 20)
            if not chunk:
                raise Error("chromium closed the DevTools pipe (exit %s); its log: %s"
                            % (self.proc.poll(), self.log.name))
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def send(self, method, params=None, session=None, timeout=None):
        """sends a command and waits for its reply (events meanwhile are kept)"""
        self.next_id += 1
        mid = self.next_id
        m = {"id": mid, "method": method, "params": params or {}}
        if session:
            m["sessionId"] = session
        os.write(self.cmd_w, json.dumps(m).encode() + b"\0")
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            r = self._read(deadline)
            if r is None:
                raise Error("no reply to %s within %s s" % (method, timeout or self.timeout))
            if r.get("id") == mid:
                if "error" in r:
                    raise Error("%s: %s" % (method, r["error"]))
                return r.get("result", {})
            if "method" in r:
                self._event(r)

    def _event(self, r):
        self.events.append(r)
        if r["method"] == "Page.javascriptDialogOpening":
            # dismissed at once (a dialog blocks the page), and recorded
            self.next_id += 1
            m = {"id": self.next_id, "method": "Page.handleJavaScriptDialog", "params": {"accept": False},
                 "sessionId": r.get("sessionId")}
            os.write(self.cmd_w, json.dumps(m).encode() + b"\0")

    def pump(self, seconds):
        """collects events for a while"""
        deadline = time.monotonic() + seconds
        while True:
            r = self._read(deadline)
            if r is None:
                return
            if "method" in r:
                self._event(r)

    def open(self, url, ready_timeout=30):
        return Page(self, url, ready_timeout)


class Page:
    """one tab: what it requested, dialogs it opened, policy violations and
    errors, all recorded from before the first byte"""

    def __init__(self, browser, url, ready_timeout):
        self.b = browser
        target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for m in ("Page.enable", "Runtime.enable", "Network.enable", "Log.enable", "Performance.enable"):
            self.cmd(m)
        self.cmd("Page.addScriptToEvaluateOnNewDocument", {"source": WATCH})
        w, h = browser.size
        self.cmd("Emulation.setDeviceMetricsOverride", {"width": w, "height": h, "deviceScaleFactor": 1,
                                                        "mobile": False})
        self.url = url
        cpu0 = self.process_time()
        self.t_navigate = time.monotonic()
        self.cmd("Page.navigate", {"url": url})
        deadline = time.monotonic() + ready_timeout
        while True:
            ready = self.eval("document.documentElement && document.documentElement.getAttribute('data-ready')")
            if ready is not None:
                self.wall_s = time.monotonic() - self.t_navigate
                self.ready_ms = float(ready)
                self.cpu_s = self.process_time() - cpu0
                break
            if time.monotonic() > deadline:
                raise Error("%s did not say it was ready within %d s (errors: %s)"
                            % (url, ready_timeout, self.errors))
            time.sleep(0.05)

    def process_time(self):
        """CPU seconds its renderer process has used (user and system), whatever else the machine runs"""
        m = self.cmd("Performance.getMetrics")["metrics"]
        return next((x["value"] for x in m if x["name"] == "ProcessTime"), float("nan"))

    def cmd(self, method, params=None, timeout=None):
        return self.b.send(method, params, self.session, timeout)

    def eval(self, expr):
        """the value of a JavaScript expression in the page (awaited when a promise)"""
        r = self.cmd("Runtime.evaluate", {"expression": expr, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in r:
            raise Error("%s: %s" % (expr[:80], r["exceptionDetails"].get("exception", {}).get("description")
                                    or r["exceptionDetails"].get("text")))
        return r["result"].get("value")

    def _mine(self, method):
        return [e["params"] for e in self.b.events if e.get("sessionId") == self.session and e["method"] == method]

    @property
    def requests(self):
        """every URL the page asked for, its own document included"""
        return [p["request"]["url"] for p in self._mine("Network.requestWillBeSent")]

    @property
    def dialogs(self):
        return [p.get("message") for p in self._mine("Page.javascriptDialogOpening")]

    @property
    def violations(self):
        return self.eval("window.__tb ? window.__tb.violations : ['the watcher did not run']")

    @property
    def errors(self):
        ex = [p["exceptionDetails"].get("exception", {}).get("description") or p["exceptionDetails"].get("text")
              for p in self._mine("Runtime.exceptionThrown")]
        logs = [p["entry"]["text"] for p in self._mine("Log.entryAdded") if p["entry"]["level"] in ("error", "warning")]
        return ex + logs

    def screenshot(self, path):
        """the whole page, not only the viewport, as PNG"""
        w, h = self.eval("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
        clip = {"x": 0, "y": 0, "width": w, "height": min(h, 12000), "scale": 1}
        png = self.cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": clip},
                       timeout=120)
        with open(path, "wb") as f:
            f.write(base64.b64decode(png["data"]))
