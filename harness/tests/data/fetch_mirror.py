#!/usr/bin/python3
"""The canonical addresses of `tokenbench fetch`, played on loopback, for
the e2e tests `fetch_rows` and `first_hour` (issue 14).

A mirror laid out by host (TOKENBENCH_FETCH_MIRROR=http://127.0.0.1:PORT):
GET /HOST/PATH serves ROOT/HOST/PATH as a file, and
GET /datasets-server.huggingface.co/rows?dataset=D&config=default&split=S&offset=O&length=L
plays the Hugging Face dataset viewer's rows interface from a JSON Lines
file: {"features", "rows": [{"row_idx", "row", "truncated_cells"}],
"num_rows_total", "num_rows_per_page", "partial"}, at most 100 rows a page
(more is refused with a 400, as the real
one allows at most 100).

It misbehaves as the file MODE says (read on every request, so a test
changes it between fetches; empty or absent: behave):
  404        every rows page is 404
  truncated  row 5's "patch" is cut short at every page length
  bigpage    row 5's "patch" is cut short in pages of more than 10 rows
  total      num_rows_total is one more than the file has
  partial    "partial": true
  wrongid    row 7's instance_id is changed (the ids digest differs)
  flaky      the first request for offset 100 is a 503, then it behaves
  slow       the page at offset 100 waits 2 s before it answers
  garbage    the page at offset 200 is not JSON
  down       every rows page is a 503 with Retry-After: 1
  endless    a rows page that goes on (spaces, up to 100 MiB, until the
             client hangs up)

It listens on 127.0.0.1 only, on a port it picks, prints "port PORT" and
serves until killed; every request is appended to LOG. Asked as an HTTP
proxy (GET http://HOST:PORT/PATH), it serves PATH and logs "proxied PATH".

    fetch_mirror.py ROOT MODE LOG DATASET=FILE...
"""
import json
import sys
import threading
import time
import urllib.parse
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

ROOT, MODE, LOG = sys.argv[1], sys.argv[2], sys.argv[3]
SPLITS = {}
for arg in sys.argv[4:]:
    name, path = arg.split('=', 1)
    SPLITS[name] = [json.loads(l) for l in open(path) if l.strip()]
HOST = 'datasets-server.huggingface.co'
lock = threading.Lock()
seen = set()


def mode():
    try:
        return open(MODE).read().strip()
    except OSError:
        return ''


class Handler(SimpleHTTPRequestHandler):
    def __init__(self, *a, **kw):
        super().__init__(*a, directory=ROOT, **kw)

    def log_message(self, fmt, *args):
        with lock:
            with open(LOG, 'a') as f:
                f.write('%s\n' % (fmt % args))

    def send_json(self, code, obj, retry_after=None):
        body = json.dumps(obj).encode()
        self.send_response(code)
        if retry_after is not None:
            self.send_header('Retry-After', str(retry_after))
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path.startswith('http://'):
            # asked as a proxy (http_proxy): the mirror's own address is the
            # request's host; serve its path, and say so in the log
            self.path = '/' + self.path.split('/', 3)[3]
            self.log_message('proxied %s', self.path)
        u = urllib.parse.urlsplit(self.path)
        if u.path != '/%s/rows' % HOST:
            return super().do_GET()
        q = dict(urllib.parse.parse_qsl(u.query))
        m = mode()
        rows = SPLITS.get(q.get('dataset'))
        if rows is None or q.get('config') != 'default' or q.get('split') != 'test' or m == '404':
            return self.send_json(404, {'error': 'Not found.'})
        off, length = int(q.get('offset', 0)), int(q.get('length', 100))
        if length > 100 or length < 1 or off < 0:
            return self.send_json(400, {'error': 'Parameter length must be between 1 and 100'})
        if m == 'down':
            return self.send_json(503, {'error': 'The server is busier than usual'}, retry_after=1)
        if m == 'endless':
            self.send_response(200)
            self.send_header('Content-Type', 'application/json')
            self.end_headers()
            chunk = b' ' * (1 << 20)
            try:
                for _ in range(100):
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return
        if m == 'flaky' and off == 100:
            with lock:
                first = 'flaky' not in seen
                seen.add('flaky')
            if first:
                return self.send_json(503, {'error': 'The server is busier than usual'})
        if m == 'slow' and off == 100:
            time.sleep(2)
        if m == 'garbage' and off == 200:
            body = b'<html>busy</html>'
            self.send_response(200)
            self.send_header('Content-Length', str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        page = []
        for i in range(off, min(off + length, len(rows))):
            row, cut = dict(rows[i]), []
            if i == 5 and (m == 'truncated' or (m == 'bigpage' and length > 10)):
                row['patch'] = row['patch'][:100]
                cut = ['patch']
            if i == 7 and m == 'wrongid':
                row['instance_id'] += '-x'
            page.append({'row_idx': i, 'row': row, 'truncated_cells': cut})
        features = [{'feature_idx': k, 'name': name, 'type': {'dtype': 'string', '_type': 'Value'}}
                    for k, name in enumerate(rows[0].keys())]
        self.send_json(200, {'features': features, 'rows': page,
                             'num_rows_total': len(rows) + (1 if m == 'total' else 0),
                             'num_rows_per_page': 100, 'partial': m == 'partial'})


s = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
print('port', s.server_address[1], flush=True)
s.serve_forever()
