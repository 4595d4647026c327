"""tokenbench: runs a command with a local httpbin on loopback.

    python3 /shims/with_httpbin.py COMMAND...

Old psf/requests test suites talk to HTTPBIN_URL (httpbin.org by default).
The sandbox has no network but its own loopback, so this starts Debian's
httpbin (python3-httpbin, with pytest-httpbin's request handler) on
127.0.0.1 at a free port, runs COMMAND with HTTPBIN_URL pointing there, and
stops the server. The server runs isolated (python3 -I), so the work copy's
requests on PYTHONPATH never reaches it. Exit status: COMMAND's.
"""
import os
import subprocess
import sys

SERVER = r"""
import socketserver, sys, threading
from wsgiref.simple_server import WSGIServer, make_server
from httpbin import app
from pytest_httpbin import serve

class Server(socketserver.ThreadingMixIn, WSGIServer):
    # one thread a connection, as a real httpbin serves them: a client that
    # leaves a connection open and silent (a TLS attempt that gave up before
    # its handshake) must not stall every later request
    daemon_threads = True

server = make_server("127.0.0.1", 0, app, server_class=Server, handler_class=serve.Handler)
threading.Thread(target=server.serve_forever, daemon=True).start()
print("http://127.0.0.1:%d/" % server.server_port, flush=True)
sys.stdin.read()
server.shutdown()
"""

def main(argv):
    if not argv:
        sys.stderr.write("usage: with_httpbin.py COMMAND...\n")
        return 2
    server = subprocess.Popen([sys.executable, "-I", "-c", SERVER], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    url = server.stdout.readline().strip()
    if not url.startswith("http://127.0.0.1:"):
        server.kill()
        sys.stderr.write("with_httpbin.py: the local httpbin did not start\n")
        return 3
    env = dict(os.environ, HTTPBIN_URL=url.rstrip("/") + "/")
    try:
        return subprocess.call(argv, env=env)
    finally:
        server.stdin.close()
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
