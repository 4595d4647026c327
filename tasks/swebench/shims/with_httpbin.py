"""tokenbench: runs a command with a local httpbin on loopback.

    python3 /shims/with_httpbin.py COMMAND...

Old psf/requests test suites talk to HTTPBIN_URL (httpbin.org by default).
The sandbox has no network but its own loopback, so this starts Debian's
httpbin (python3-httpbin, served as pytest-httpbin serves it) on
127.0.0.1 at a free port, runs COMMAND with HTTPBIN_URL pointing there, and
stops the server. The server runs isolated (python3 -I), so the work copy's
requests on PYTHONPATH never reaches it. Exit status: COMMAND's.
"""
import os
import subprocess
import sys

SERVER = r"""
import sys
from httpbin import app
from pytest_httpbin import serve
server = serve.Server(host="127.0.0.1", port=0, application=app)
server.start()
print(server.url, flush=True)
sys.stdin.read()
server.stop()
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
