"""Shared pieces of the stun module's integration tests: where the module is, per-test loopback
addresses, the sipnatd config with the four-socket set, and a TestCase base.

Every test process draws its own 127.A.B.x addresses (A in 64..250, B random, so the normal and the
sanitizer build running in parallel do not meet) and leases its two ports through
sipnat_test.lease_port (a per-port lock shared by every integration test), since sipnatd binds with
SO_REUSEPORT and a second daemon on the same address would share the traffic silently.
"""

import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "helpers"))
sys.path.insert(0, HERE)

import sipnat_test  # noqa: E402
from sipnat_test import LOG_TIMEOUT, SipnatTestCase, lease_port, main  # noqa: E402,F401

SKIP = 77  # meson: the test was skipped


def stun_module():
    """The stun.so to load: SIPNAT_STUN_MODULE (set by meson) or the name, which sipnatd finds in
    its own build tree."""
    return os.environ.get("SIPNAT_STUN_MODULE") or "stun.so"


def tool(name):
    """Path of an external program, or None."""
    return shutil.which(name)


_rng = random.SystemRandom()


def loopback_block():
    """A random 127.A.B.0/24 block (as "127.A.B."), whose .1 .. .9 bind."""
    for _ in range(50):
        base = "127.%d.%d." % (_rng.randint(64, 250), _rng.randint(0, 255))
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                s.bind((base + "1", 0))
            return base
        except OSError:
            continue
    raise RuntimeError("no usable 127/8 address")


def hostport(host, port):
    return "[%s]:%d" % (host, port) if ":" in host else "%s:%d" % (host, port)


def stun_config(listens, primary_ip=None, alternate_ip=None, primary_port=None, alternate_port=None,
                children=1, log_level=None, params=(), route=None, module=None):
    """A sipnatd config: listen= for each (host, port), the stun module and its modparams (None:
    not set), and a route that answers OPTIONS to us with 200 and forwards the rest."""
    out = ["# written by sipnat's stun integration tests"]
    if log_level is not None:
        out.append("log_level=%d" % log_level)
    out.append("children=%d" % children)
    for h, p in listens:
        out.append("listen=udp:%s" % hostport(h, p))
    out.append('loadmodule "%s"' % (module or stun_module()))
    for pname, value in (("primary_ip", primary_ip), ("primary_port", primary_port),
                         ("alternate_ip", alternate_ip), ("alternate_port", alternate_port)):
        if value is not None:
            out.append('modparam("stun", "%s", "%s")' % (pname, value))
    for pname, value in params:
        v = str(value) if isinstance(value, int) else '"%s"' % value
        out.append('modparam("stun", "%s", %s)' % (pname, v))
    out.append(route or 'route {\n    if (is_method("OPTIONS") && $rU == "") { sl_send_reply(200, "OK"); exit; }\n'
                        '    forward();\n}')
    return "\n".join(out) + "\n"


class StunServer:
    """Addresses of one running four-socket set."""

    def __init__(self, d, ip1, ip2, port1, port2):
        self.d = d
        self.ip1, self.ip2, self.port1, self.port2 = ip1, ip2, port1, port2

    def sock(self, index):
        """(ip, port) of socket index 0..3 (bit 0 = alternate port, bit 1 = alternate IP)."""
        return (self.ip2 if index & 2 else self.ip1, self.port2 if index & 1 else self.port1)

    @property
    def primary(self):
        return self.sock(0)


class StunTestCase(SipnatTestCase):
    """Starts sipnatd with the stun module on fresh addresses; stops it at the end."""

    children = 1

    def start_stun(self, ip1=None, ip2=None, children=None, primary_adv=None, alternate_adv=None,
                   port1_adv=None, port2_adv=None, params=(), log_level=4, extra_listens=()):
        """sipnatd listening on ip1:port1 with the stun set (ip1, ip2, port1, port2); ports leased
        here. *_adv: the advertised part of "x / y". Returns a StunServer."""
        if ip1 is None:
            base = loopback_block()
            ip1, ip2 = base + "1", base + "2"
        children = self.children if children is None else children

        def make(ports):
            p1, p2 = ports[0], ports[1]
            pip = ip1 if primary_adv is None else "%s / %s" % (ip1, primary_adv)
            aip = ip2 if alternate_adv is None else "%s / %s" % (ip2, alternate_adv)
            pp = str(p1) if port1_adv is None else "%d / %d" % (p1, port1_adv)
            ap = str(p2) if port2_adv is None else "%d / %d" % (p2, port2_adv)
            listens = [(ip1, p1)] + [(h, ports[2 + i]) for i, h in enumerate(extra_listens)]
            return stun_config(listens, pip, aip, pp, ap, children=children, params=params)

        hosts = [ip1, ip2] + list(extra_listens)
        d, ports = self.start(make, n_ports=len(hosts), hosts=hosts, log_level=log_level)
        srv = StunServer(d, ip1, ip2, ports[0], ports[1])
        srv.extra_ports = ports[2:]
        return srv

    def assert_stopped_cleanly(self, d):
        rc = d.stop(signal.SIGTERM)
        log = d.log_text()
        self.assertEqual(rc, 0, "exit code %r after SIGTERM; log:\n%s" % (rc, log))
        self.assert_logged(d, r"^sipnatd stopped$", timeout=0)
        self.assertEqual(d.sanitizer_report(), [], log)


def run_tool(argv, timeout=30):
    """Runs an external client; returns (exit code, stdout+stderr text). A hang is a failure with
    the output so far, never a hang of the test."""
    try:
        p = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=timeout)
        return p.returncode, p.stdout.decode("utf-8", "replace")
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode("utf-8", "replace") if e.stdout else ""
        return None, out + "\n[killed after %ds]" % timeout


ADDR_RE = r"([0-9a-fA-F:.]+):(\d+)"


def find_addrs(pattern, text):
    """All (ip, port) captured by `pattern` (which must contain ADDR_RE once)."""
    return [(m.group(1), int(m.group(2))) for m in re.finditer(pattern, text)]
