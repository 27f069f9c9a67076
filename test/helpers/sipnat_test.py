"""Shared helpers for sipnat's integration tests (Python 3 standard library only).

- where things are: sipnatd_path(), module_dir() (from the command line / environment
  that meson's test() passes);
- free ports: lease_port() picks a free loopback UDP port and holds a lock on it so
  parallel test processes (and the normal and sanitizer builds) never pick the same one;
- Sipnatd: runs sipnatd with a config written to a temp dir, collects its stderr log,
  waits for log lines, stops it with a signal (and always kills it on the way out);
- start_sipnatd(): retries with new ports when a bind fails (a port taken in between);
- UDP: udp_client(), send_recv(), expect_silence();
- run_sipnatd(): one short run (-c, -V, -h, ...) with a timeout.

Every wait is bounded; nothing here waits forever.
"""

import errno
import fcntl
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

# Generous for a sanitizer build on a loaded 2-core machine; a healthy run takes milliseconds.
START_TIMEOUT = 20.0
LOG_TIMEOUT = 10.0
RECV_TIMEOUT = 3.0

LOG_LINE_RE = re.compile(r"^\d\d:\d\d:\d\d\.\d\d\d (ERROR|WARNING|NOTICE|INFO|DEBUG) \[([^\]]*)\] (.*)$")
SANITIZER_RE = re.compile(r"ERROR: (Address|Leak|Thread|Memory|UndefinedBehavior)Sanitizer|runtime error:")

_args_parsed = False
_sipnatd = None


def _parse_argv():
    """Takes `--sipnatd PATH` / `--moddir DIR` off sys.argv (unittest gets the rest)."""
    global _args_parsed, _sipnatd
    if _args_parsed:
        return
    _args_parsed = True
    rest = [sys.argv[0]]
    it = iter(sys.argv[1:])
    for a in it:
        if a == "--sipnatd":
            _sipnatd = next(it, None)
        elif a == "--moddir":
            os.environ["SIPNAT_TEST_MODDIR"] = next(it, "")
        else:
            rest.append(a)
    sys.argv[:] = rest


def sipnatd_path():
    _parse_argv()
    p = _sipnatd or os.environ.get("SIPNATD")
    if not p:
        raise RuntimeError("sipnatd path not given (--sipnatd PATH or SIPNATD=...)")
    return os.path.abspath(p)


def module_dir():
    _parse_argv()
    d = os.environ.get("SIPNAT_TEST_MODDIR")
    if not d:
        raise RuntimeError("test module dir not given (--moddir DIR or SIPNAT_TEST_MODDIR=...)")
    return os.path.abspath(d)


def is_sanitized():
    """True when sipnatd was built with ASan (it links libasan or has its symbols)."""
    try:
        with open(sipnatd_path(), "rb") as f:
            return b"__asan_init" in f.read()
    except OSError:
        return False


# ---------------------------------------------------------------------------
# Ports

_LOCK_DIR = os.path.join(tempfile.gettempdir(), "sipnat-test-ports")


def ipv6_usable():
    """True when a UDP socket can be bound to ::1."""
    if not socket.has_ipv6:
        return False
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False


class PortLease:
    """A port picked by binding port 0, plus an flock on a per-port file held until
    release(): other test processes skip ports someone holds. (sipnatd binds with
    SO_REUSEPORT, so a second daemon on the same port would not even fail to bind.)"""

    def __init__(self, port, fd):
        self.port = port
        self._fd = fd

    def release(self):
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def lease_port(host="127.0.0.1", avoid=()):
    os.makedirs(_LOCK_DIR, exist_ok=True)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    for _ in range(200):
        with socket.socket(family, socket.SOCK_DGRAM) as s:
            s.bind((host, 0))
            port = s.getsockname()[1]
        if port in avoid:
            continue
        fd = os.open(os.path.join(_LOCK_DIR, "%d.lock" % port), os.O_RDWR | os.O_CREAT, 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            continue
        # Still free for both families? (a port held on the other family is left alone too)
        if _udp_port_free(port):
            return PortLease(port, fd)
        os.close(fd)
    raise RuntimeError("no free UDP port found")


def _udp_port_free(port):
    for fam, host in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
        if fam == socket.AF_INET6 and not ipv6_usable():
            continue
        try:
            with socket.socket(fam, socket.SOCK_DGRAM) as s:
                s.bind((host, port))
        except OSError:
            return False
    return True


def udp_port_bindable(host, port):
    """True when a plain (no SO_REUSEPORT) UDP socket can bind host:port."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_DGRAM) as s:
            s.bind((host, port))
        return True
    except OSError:
        return False


# ---------------------------------------------------------------------------
# sipnatd

class Sipnatd:
    """One sipnatd process: writes `config` to a temp dir, runs it in the foreground and
    collects every stderr line. Use as a context manager so it is always stopped."""

    def __init__(self, config, extra_args=(), log_level=None, name="sipnat.cfg"):
        self.tmp = tempfile.TemporaryDirectory(prefix="sipnat-test-")
        self.config_path = os.path.join(self.tmp.name, name)
        with open(self.config_path, "w", encoding="utf-8") as f:
            f.write(config)
        self.args = [sipnatd_path(), "-f", self.config_path]
        if log_level is not None:
            self.args += ["-l", str(log_level)]
        self.args += list(extra_args)
        self.proc = None
        self._lines = []
        self._cond = threading.Condition()
        self._reader = None
        self.returncode = None
        self.stop_seconds = None

    # --- lifecycle ---

    def start(self):
        self.proc = subprocess.Popen(self.args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        return self

    def _read(self):
        for raw in self.proc.stdout:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            with self._cond:
                self._lines.append(line)
                self._cond.notify_all()
        with self._cond:
            self._lines.append(None)  # EOF marker
            self._cond.notify_all()

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def wait_started(self, timeout=START_TIMEOUT):
        """Waits for `sipnatd started with N workers`; False if it exited first."""
        return self.wait_for(r"sipnatd started with \d+ workers?$", timeout) is not None

    def stop(self, sig=signal.SIGTERM, timeout=LOG_TIMEOUT):
        """Sends `sig` and waits for the exit; returns the exit code (None if it had to be
        killed). Measures the time to exit in stop_seconds."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            t0 = time.monotonic()
            try:
                self.proc.send_signal(sig)
                self.returncode = self.proc.wait(timeout)
                self.stop_seconds = time.monotonic() - t0
            except subprocess.TimeoutExpired:
                self.kill()
                return None
        else:
            self.returncode = self.proc.returncode
        self._join_reader()
        return self.returncode

    def wait_exit(self, timeout=START_TIMEOUT):
        try:
            self.returncode = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return None
        self._join_reader()
        return self.returncode

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except OSError:
                self.proc.kill()
            self.proc.wait(5)
        self._join_reader()

    def _join_reader(self):
        if self._reader is not None:
            self._reader.join(5)

    def close(self):
        self.kill()
        if self.proc is not None and self.proc.stdout:
            self.proc.stdout.close()
        self.tmp.cleanup()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    # --- log ---

    def lines(self):
        with self._cond:
            return [l for l in self._lines if l is not None]

    def log_text(self):
        return "\n".join(self.lines())

    def messages(self):
        """The text part of each well-formed log line."""
        out = []
        for l in self.lines():
            m = LOG_LINE_RE.match(l)
            if m:
                out.append(m.group(3))
        return out

    def find_all(self, pattern):
        rx = re.compile(pattern)
        return [m for m in (rx.search(t) for t in self.messages()) if m]

    def count(self, pattern):
        return len(self.find_all(pattern))

    def wait_for(self, pattern, timeout=LOG_TIMEOUT, start=0):
        """Waits until a log message (from the start-th line on) matches `pattern`;
        returns the match, or None on timeout or when the process has exited."""
        rx = re.compile(pattern)
        deadline = time.monotonic() + timeout
        seen = start
        with self._cond:
            while True:
                while seen < len(self._lines):
                    l = self._lines[seen]
                    seen += 1
                    if l is None:
                        return None
                    m = LOG_LINE_RE.match(l)
                    if m:
                        mm = rx.search(m.group(3))
                        if mm:
                            return mm
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self._cond.wait(left)

    def wait_count(self, pattern, n, timeout=LOG_TIMEOUT):
        """Waits until at least n messages match; returns the count seen."""
        deadline = time.monotonic() + timeout
        while True:
            c = self.count(pattern)
            if c >= n or time.monotonic() >= deadline or not self.running():
                return self.count(pattern)
            time.sleep(0.02)

    def mark(self):
        """Position for wait_for(start=...): only lines logged after now."""
        with self._cond:
            return len(self._lines)

    def sanitizer_report(self):
        """The sanitizer's report lines, if ASan/UBSan/LSan complained."""
        return [l for l in self.lines() if SANITIZER_RE.search(l)]


def start_sipnatd(make_config, n_ports=1, hosts=None, attempts=5, **kw):
    """Starts sipnatd on fresh ports, retrying with new ones when a bind fails.
    make_config(ports) returns the config text for the list of leased port numbers.
    Returns (Sipnatd, [PortLease]); the caller closes both (see TestCase helpers)."""
    hosts = hosts or ["127.0.0.1"] * n_ports
    last = None
    for _ in range(attempts):
        leases = []
        for h in hosts:
            leases.append(lease_port(h, avoid=[l.port for l in leases]))
        d = Sipnatd(make_config([l.port for l in leases]), **kw).start()
        if d.wait_started():
            return d, leases
        d.kill()
        text = d.log_text()
        d.close()
        for l in leases:
            l.release()
        last = text
        if "cannot bind" not in text and "Address already in use" not in text:
            break
    raise AssertionError("sipnatd did not start:\n" + (last or ""))


def run_sipnatd(args, timeout=30.0, config=None, config_name="sipnat.cfg"):
    """Runs sipnatd once (e.g. -c, -V, -h) and returns (exit code, stdout, stderr, config path).
    With `config`, it is written to a temp file whose path replaces "{cfg}" in args."""
    with tempfile.TemporaryDirectory(prefix="sipnat-test-") as tmp:
        path = os.path.join(tmp, config_name)
        if config is not None:
            with open(path, "w", encoding="utf-8") as f:
                f.write(config)
        argv = [sipnatd_path()] + [a.replace("{cfg}", path) for a in args]
        p = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout)
        return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace"), path


# ---------------------------------------------------------------------------
# UDP

def udp_client(host="127.0.0.1", timeout=RECV_TIMEOUT):
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    s = socket.socket(family, socket.SOCK_DGRAM)
    s.bind((host, 0))
    s.settimeout(timeout)
    return s


def send_recv(sock, data, addr, timeout=RECV_TIMEOUT, retries=2):
    """Sends `data` to addr and returns (reply, from_addr), or (None, None) on timeout.
    Resends on timeout (UDP on loopback does not lose datagrams, but a busy sanitizer
    build can be slow to start reading)."""
    for _ in range(retries + 1):
        sock.sendto(data, addr)
        r = recv(sock, timeout)
        if r[0] is not None:
            return r
    return None, None


def recv(sock, timeout=RECV_TIMEOUT):
    sock.settimeout(timeout)
    try:
        data, src = sock.recvfrom(65536)
        return data, src[:2]
    except socket.timeout:
        return None, None
    except OSError as e:
        if e.errno in (errno.ECONNREFUSED,):
            return None, None
        raise


def expect_silence(sock, timeout=0.3):
    """True when nothing arrives on sock within `timeout`."""
    return recv(sock, timeout)[0] is None


def sip_request(method, host, port, src_host, src_port, call_id="sipnat-test-1", headers=(), body=b""):
    """A minimal valid SIP request for sip:host:port from src_host:src_port (bytes)."""
    h = "[%s]" % host if ":" in host else host
    sh = "[%s]" % src_host if ":" in src_host else src_host
    lines = ["%s sip:%s:%d SIP/2.0" % (method, h, port),
             "Via: SIP/2.0/UDP %s:%d;branch=z9hG4bK-%s-%s" % (sh, src_port, call_id, method.lower()),
             "Max-Forwards: 70",
             "From: <sip:test@%s>;tag=1" % sh,
             "To: <sip:%s:%d>" % (h, port),
             "Call-ID: %s" % call_id,
             "CSeq: 1 %s" % method]
    lines += list(headers)
    if body:
        lines.append("Content-Type: text/plain")
    lines.append("Content-Length: %d" % len(body))
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def sip_options(host, port, src_host, src_port, call_id="sipnat-test-1"):
    return sip_request("OPTIONS", host, port, src_host, src_port, call_id)


def sip_headers(data):
    """(start line, [(name, value)], body) of a SIP message (bytes)."""
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("utf-8", "replace").split("\r\n")
    hdrs = []
    for l in lines[1:]:
        name, _, value = l.partition(":")
        hdrs.append((name.strip(), value.strip()))
    return lines[0], hdrs, body


# ---------------------------------------------------------------------------
# Configs and a TestCase base

def config_pos(text, needle, occurrence=0):
    """(line, col), 1-based, where the occurrence-th `needle` starts in config `text`."""
    at = -1
    for _ in range(occurrence + 1):
        at = text.index(needle, at + 1)
    line = text.count("\n", 0, at) + 1
    col = at - (text.rfind("\n", 0, at) + 1) + 1
    return line, col


def fmt_hostport(host, port):
    return "[%s]:%d" % (host, port) if ":" in host else "%s:%d" % (host, port)


def testmod_config(listens, children=1, params=(), extra="", modules=("testmod.so",)):
    """A config with `listen=` for each (host, port), children=, mpath= the test module
    dir, loadmodule for each of `modules` and modparam("testmod", name, value) for each
    (name, value) (a str value is quoted, an int is not)."""
    out = ["# written by sipnat's integration tests"]
    for h, p in listens:
        out.append("listen=udp:%s" % fmt_hostport(h, p))
    out.append("children=%d" % children)
    out.append('mpath="%s"' % module_dir())
    for m in modules:
        out.append('loadmodule "%s"' % m)
    for name, value in params:
        v = str(value) if isinstance(value, int) else '"%s"' % value
        out.append('modparam("testmod", "%s", %s)' % (name, v))
    if extra:
        out.append(extra)
    return "\n".join(out) + "\n"


# A route that hands every request to testmod's tm_dump (once the script engine runs routes).
DUMP_ROUTE = "route {\n    tm_dump();\n}\nonreply_route {\n    tm_dump();\n}"


def sip_seen_re(method, src_ip, src_port):
    """Log evidence that a SIP request reached the SIP stage: Host I's placeholder logs
    `SIP request M from IP`; with the script engine, DUMP_ROUTE's tm_dump logs its line."""
    ip = re.escape(src_ip)
    return (r"^(SIP request %s from %s|testmod: dump request=1 method=%s status=0 .* src=%s:%d .*)$"
            % (method, ip, method, ip, src_port))


class SipnatTestCase(unittest.TestCase):
    """Starts daemons that are always stopped (and ports always released) at the end of
    the test, even when it fails; failure messages carry the daemon's log."""

    maxDiff = None

    def start(self, make_config, n_ports=1, hosts=None, log_level=4, **kw):
        d, leases = start_sipnatd(make_config, n_ports=n_ports, hosts=hosts, log_level=log_level, **kw)
        self.addCleanup(self._cleanup, d, leases)
        return d, [l.port for l in leases]

    @staticmethod
    def _cleanup(d, leases):
        d.close()
        for l in leases:
            l.release()

    def assert_logged(self, d, pattern, timeout=LOG_TIMEOUT, start=0):
        m = d.wait_for(pattern, timeout, start=start)
        self.assertIsNotNone(m, "no log line matching %r; log:\n%s" % (pattern, d.log_text()))
        return m

    def assert_not_logged(self, d, pattern):
        self.assertEqual(d.find_all(pattern), [], "unexpected log line %r; log:\n%s" % (pattern, d.log_text()))

    def assert_clean_stop(self, d, sig=signal.SIGTERM, max_seconds=None):
        """Stops d with sig and checks: exit 0, within max_seconds, the shutdown lines,
        modules' destroy, no sanitizer report."""
        rc = d.stop(sig)
        log = d.log_text()
        self.assertEqual(rc, 0, "exit code %r after signal %d; log:\n%s" % (rc, sig, log))
        if max_seconds is not None:
            self.assertLessEqual(d.stop_seconds, max_seconds,
                                 "took %.3fs to stop; log:\n%s" % (d.stop_seconds, log))
        self.assert_logged(d, r"^signal %d received, shutting down$" % int(sig), timeout=0)
        self.assert_logged(d, r"^testmod: destroy$", timeout=0)
        self.assert_logged(d, r"^sipnatd stopped$", timeout=0)
        self.assertEqual(d.sanitizer_report(), [], log)
        self.assert_not_logged(d, r"^testmod: .*(FAILED|ran elsewhere|out of range|wrong arg|src_len)")

    def assert_no_sanitizer_report(self, d):
        self.assertEqual(d.sanitizer_report(), [], d.log_text())


def main():
    _parse_argv()
    unittest.main(argv=sys.argv, verbosity=2)
