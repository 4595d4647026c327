"""report_html.py RUN_DIR CANARY_PORT COPY_DIR - checks RUN_DIR/report.html in
headless Chromium (scripts/cdp.py), as report_html.sh prepared it:

  - the provider table holds every provider of summary.json with the same
    numbers (data-v, the raw value, and the text shown);
  - a click on "$/task" sorts the rows by cost per task, a second reverses;
  - a click on a failed cell shows that sample: its answer and test output;
  - the three charts are non-empty SVG naming the providers;
  - the hostile task's answer, prompt, cluster and output are text: no
    element they describe exists, no dialog opened, no request left the page
    (the DevTools protocol's view, a loopback canary that must stay silent)
    and no Content-Security-Policy violation happened;
  - a screenshot of the whole page is saved as RUN_DIR/screenshot.png;
  - a copy of the directory (COPY_DIR), served by a static server on
    loopback, shows the same page and its linked log files.
Prints what it checked; exits 1 on the first failure."""
import functools
import http.server
import json
import os
import shutil
import socket
import sys
import threading
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "scripts"))
import cdp  # noqa: E402

run, canary_port, copy = sys.argv[1], int(sys.argv[2]), sys.argv[3]
run = os.path.abspath(run)
summary = json.load(open(os.path.join(run, "summary.json")))


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def canary():
    """a loopback listener the hostile markup names: any connection is a request the page must not make"""
    s = socket.socket()
    s.bind(("127.0.0.1", canary_port))
    s.listen(8)
    s.settimeout(0.2)
    hits = []

    def loop():
        while not stop.is_set():
            try:
                c, _ = s.accept()
                hits.append(c.recv(200))
                c.close()
            except OSError:
                pass
        s.close()
    stop = threading.Event()
    threading.Thread(target=loop, daemon=True).start()
    return hits, stop


def field(p, k):
    v = p
    for part in k.split("."):
        v = v[part]
    return v


def check_table(page):
    rows = page.eval("""Array.from(document.querySelectorAll('#provider-table tbody tr')).map(tr =>
        Object.fromEntries(Array.from(tr.cells).map(td => [td.dataset.k, td.dataset.v === undefined ?
            td.firstChild.textContent : td.dataset.v])))""")
    want = {p["name"]: p for p in summary["providers"]}
    if len(rows) != len(want) or len(want) != 5:
        fail("the provider table has %d rows, summary.json %d providers (want 5)" % (len(rows), len(want)))
    checked = 0
    for r in rows:
        p = want.get(r["name"])
        if not p:
            fail("the table names %r, which summary.json does not" % r["name"])
        for k, v in r.items():
            if k == "name":
                continue
            s = field(p, k)
            got = None if v == "" else float(v)
            if got != s:
                fail("%s: %s is %r in the page, %r in summary.json" % (r["name"], k, v, s))
            checked += 1
    # and the text shown agrees with the value: the pass rate as a percentage
    texts = page.eval("""Array.from(document.querySelectorAll('#provider-table tbody tr')).map(tr =>
        [tr.cells[0].firstChild.textContent, tr.querySelector('[data-k=pass_rate]').firstChild.textContent])""")
    for name, text in texts:
        if not text.startswith("%.1f%%" % (100 * want[name]["pass_rate"])):
            fail("%s: the pass rate shows %r for %r" % (name, text, want[name]["pass_rate"]))
    print("provider table: %d providers, %d figures equal to summary.json's" % (len(rows), checked))


def check_sort(page):
    order = "Array.from(document.querySelectorAll('#provider-table tbody tr td:first-child')).map(td => td.firstChild.textContent)"
    before = page.eval(order)
    page.eval("Array.from(document.querySelectorAll('#provider-table th')).find(th => th.textContent.startsWith('$/task')).click()")
    after = page.eval(order)
    by_cost = [p["name"] for p in sorted(summary["providers"], key=lambda p: p["cost_per_task"])]
    if after != by_cost:
        fail("sorted by $/task the rows are %s, want %s" % (after, by_cost))
    if after == before:
        fail("sorting by cost did not reorder the table (it was %s)" % before)
    page.eval("Array.from(document.querySelectorAll('#provider-table th')).find(th => th.textContent.startsWith('$/task')).click()")
    if page.eval(order) != by_cost[::-1]:
        fail("a second click did not reverse the order")
    print("sorting: by $/task %s; again, reversed" % " < ".join(after))


def check_charts(page):
    charts = page.eval("""Array.from(document.querySelectorAll('#charts figure')).map(f => {
        const svg = f.querySelector('svg'); const r = svg ? svg.getBoundingClientRect() : null;
        return [f.id, svg ? svg.querySelectorAll('path').length : 0, r ? r.width * r.height : 0,
                svg ? svg.textContent : ''] })""")
    names = [p["name"] for p in summary["providers"]]
    if len(charts) != 3:
        fail("%d charts (want frontier, forest, lambda)" % len(charts))
    for cid, paths, area, text in charts:
        # the forest shows the others against the best provider
        want = names[1:] if cid == "chart-forest" else names
        missing = [n for n in want if n not in text]
        if paths < 5 or area < 10000 or missing:
            fail("%s: %d paths, %.0f px², providers missing: %s" % (cid, paths, area, missing))
    print("charts: %s, each drawn and naming its providers" % ", ".join(c[0] for c in charts))


def open_cell(page, task, status):
    """clicks the cell of task whose class is status; the sample view's text"""
    ok = page.eval("""(() => { const i = %s; const tr = document.querySelector('#mx tbody').rows[i];
        const td = Array.from(tr.cells).find(td => td.classList.contains(%s)); if (!td) return false;
        td.click(); return true })()""" % (task, json.dumps(status)))
    if not ok:
        return None
    return page.eval("""({ head: document.querySelector('#sv h3').textContent,
        hidden: document.getElementById('sample').hidden,
        texts: Object.fromEntries(Array.from(document.querySelectorAll('#sv h3')).slice(1).map(h =>
            [h.textContent, h.nextElementSibling.textContent])),
        verdict: document.querySelector('#sv .verdict').textContent,
        elements: Array.from(document.querySelectorAll('#sv *')).map(e => e.tagName.toLowerCase()) })""")


def check_samples(page):
    tasks = page.eval("JSON.parse(document.getElementById('tb-data').textContent).tasks")
    hostile = tasks.index("py/hostile")
    # a failed cell of an ordinary task, if the seed gave one; the hostile task's always fail
    ordinary = [i for i in range(len(tasks)) if i != hostile]
    seen = None
    for i in ordinary:
        seen = open_cell(page, i, "fail")
        if seen:
            break
    for v, what in ((seen, "an ordinary failed cell"), (open_cell(page, hostile, "fail"), "the hostile task's cell")):
        if v is None:
            if what.startswith("an ordinary"):
                print("no ordinary task failed with this seed: only the hostile one checked")
                continue
            fail("no failed cell for %s" % what)
        if v["hidden"] or not v["verdict"].startswith("failed"):
            fail("%s: the sample view shows %r" % (what, v["verdict"]))
        for h in ("answer", "test output"):
            if not v["texts"].get(h, "").strip():
                fail("%s: no %s shown (%s)" % (what, h, list(v["texts"])))
        print("%s: %s, answer %d chars, test output %d chars shown" % (what, v["head"], len(v["texts"]["answer"]),
                                                                     len(v["texts"]["test output"])))
    # digit-free: the simulator's wrong answers change numbers
    payload = '</script><script>alert('
    full = '</script><script>alert(1)</script><img src="http://127.0.0.1:%d/img" onerror="alert(2)">' % canary_port
    if payload not in v["texts"]["answer"] or full not in v["texts"]["test output"]:
        fail("the hostile answer or test output is not shown as its text")
    bad = [e for e in v["elements"] if e in ("img", "script", "iframe", "object", "embed")]
    if bad:
        fail("the hostile sample made elements: %s" % bad)
    link = page.eval("(document.querySelector('#sv a[href^=\"logs/\"]') || {}).href")
    if not link:
        fail("the hostile sample's 64 KB test output is not linked")
    page.eval("document.querySelector('#sv details').open = true")
    prompt = page.eval("document.querySelector('#sv details pre').textContent")
    if full not in prompt:
        fail("the hostile prompt is not shown as text")
    options = page.eval("Array.from(document.querySelectorAll('#f-cluster option')).map(o => o.textContent)")
    if "</option><img src=x onerror=alert(3)>" not in options:
        fail("the hostile cluster is not an option's text: %s" % options)
    if page.eval("document.querySelectorAll('img, iframe, object, embed').length") != 0:
        fail("the page holds an image, frame or object")
    print("hostile answer, prompt, cluster and test output shown as text; the long output linked: %s"
          % link.split("/logs/", 1)[-1])
    return link


def check_filters(page):
    shown = "+document.getElementById('mx').getAttribute('data-shown')"
    n = page.eval(shown)
    page.eval("document.getElementById('f-disagree').click()")
    dis = page.eval(shown)
    page.eval("document.getElementById('f-disagree').click()")
    page.eval("{ const s = document.getElementById('f-status'); s.value = '1'; s.dispatchEvent(new Event('change')) }")
    failed = page.eval(shown)
    rows = page.eval("document.querySelectorAll('#mx tbody tr').length")
    page.eval("{ const s = document.getElementById('f-status'); s.value = ''; s.dispatchEvent(new Event('change')) }")
    if not (0 < failed < n and dis <= n and rows == failed and page.eval(shown) == n):
        fail("filters: %d tasks, %d (%d rows) with a failed sample, %d disagreed on" % (n, failed, rows, dis))
    print("matrix: %d tasks; %d with a failed sample; providers disagree on %d" % (n, failed, dis))


def check_quiet(page, hits, url):
    extra = [u for u in page.requests if u.split("#")[0] != url and not u.endswith("/favicon.ico")]
    if extra or page.dialogs or page.violations or hits:
        fail("requests %s, dialogs %s, policy violations %s, canary connections %s"
             % (extra, page.dialogs, page.violations, hits))
    errors = [e for e in page.errors if "favicon" not in e]
    if errors:
        fail("the page logged errors: %s" % errors)


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(root):
    handler = functools.partial(Quiet, directory=root)
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


def main():
    if not cdp.available():
        fail("no chromium")
    hits, stop = canary()
    url = "file://" + run + "/report.html"
    with cdp.Browser() as b:
        page = b.open(url)
        print("opened %s in %.1f s (ready %.0f ms after navigation)" % (url, page.wall_s, page.ready_ms))
        check_table(page)
        check_sort(page)
        check_charts(page)
        check_filters(page)
        check_samples(page)
        page.screenshot(os.path.join(run, "screenshot.png"))
        check_quiet(page, hits, url)
        print("no dialog, no request but the page's own, no policy violation, nothing on the canary")
        # a copy elsewhere, served by a static server on loopback
        shutil.copytree(run, copy)
        srv = serve(copy)
        base = "http://127.0.0.1:%d/" % srv.server_address[1]
        page2 = b.open(base + "report.html")
        check_table(page2)
        link = check_samples(page2)
        if not link.startswith(base + "logs/"):
            fail("the link %s is not beside the page" % link)
        with urllib.request.urlopen(link, timeout=10) as r:
            size = len(r.read())
        if r.status != 200 or size < 16 * 1024:
            fail("the linked file %s: HTTP %s, %d bytes" % (link, r.status, size))
        extra = [u for u in page2.requests if u != base + "report.html" and not u.endswith("/favicon.ico")]
        if extra or page2.dialogs or page2.violations or hits:
            fail("served: requests %s, dialogs %s, violations %s, canary %s" % (extra, page2.dialogs,
                                                                               page2.violations, hits))
        print("served from a copy: same table, the linked output answers %d bytes" % size)
        srv.shutdown()
    stop.set()


main()
