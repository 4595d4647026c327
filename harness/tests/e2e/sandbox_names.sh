# The sandbox's names and certificates: localhost and its own host name
# resolve to its own loopback (an /etc/hosts of its own), a server bound to
# "localhost" there takes a connection to "localhost", any other name fails
# without a DNS query (nsswitch: files only), the system's CA bundle is
# there read-only (the same certificates as outside), /etc/hosts cannot be
# changed, and the only network interface is lo.
source "$(dirname "$0")/lib.sh"
outside=$($PY -c 'import ssl; print(ssl.create_default_context().cert_store_stats()["x509_ca"])')
[ "$outside" -gt 0 ] || skip "this machine has no CA certificates (ca-certificates)"
cat >"$WORK/probe.py" <<'PYEOF'
import socket, ssl
out = []
addrs = sorted({a[4][0] for a in socket.getaddrinfo("localhost", 80, type=socket.SOCK_STREAM)})
ok = "127.0.0.1" in addrs and all(a.startswith("127.") or a == "::1" for a in addrs)
out.append("localhost=" + ("loopback" if ok else ",".join(addrs)))
out.append("hostname=%s:%s" % (socket.gethostname(), socket.gethostbyname(socket.gethostname())))
s = socket.socket()
s.bind(("localhost", 0))
s.listen(1)
c = socket.create_connection(("localhost", s.getsockname()[1]), timeout=5)
peer, _ = s.accept()
c.sendall(b"ping")
out.append("loopback=" + peer.recv(4).decode())
try:
    socket.getaddrinfo("tokenbench-nowhere.invalid", 80)
    out.append("other=resolved")
except socket.gaierror:
    out.append("other=unresolved")
out.append("ca=%d" % ssl.create_default_context().cert_store_stats()["x509_ca"])
try:
    open("/etc/hosts", "a").write("10.0.0.1 localhost\n")
    out.append("hosts=writable")
except OSError:
    out.append("hosts=read-only")
out.append("interfaces=" + ",".join(l.split(":")[0].strip() for l in open("/proc/net/dev").readlines()[2:]))
print(" ".join(out))
PYEOF
got=$("$TB" sandbox -- /usr/bin/python3 -c "$(cat "$WORK/probe.py")" 2>"$WORK/err") || fail "sandbox: $(cat "$WORK/err")"
want="localhost=loopback hostname=sandbox:127.0.1.1 loopback=ping other=unresolved ca=$outside hosts=read-only interfaces=lo"
[ "$got" = "$want" ] || fail "in the sandbox: '$got', want '$want'"
echo "in the sandbox localhost and its host name are its own loopback, other names do not resolve, $outside CA certificates (as outside), /etc/hosts read-only, only lo"
