"""Helpers for the "Host II" integration tests: the stateless proxy between real SIPp peers
and Python UDP peers on loopback (Python 3 standard library only).

Builds on test/helpers/sipnat_test.py (daemon start/stop, port leases, UDP helpers) and adds:

- proxy_config(): a route-script config in the README style;
- SipTestCase: starts the proxy, SIPp processes and sockets, and always stops / closes them at
  the end of the test, even when it fails; failure messages carry the daemon log and SIPp's
  output and error files;
- Sipp: one SIPp process run from a scenario template (scenarios/*.xml with @KEY@ fields
  filled in per test: ports are only known at run time), in its own temp dir;
- small SIP text helpers for the Python peers (build / split / header lookup).

Conventions, as test/integration/meson.build: the test file gets `--sipnatd PATH`; exit code 77
(meson's "skipped") only when a tool or ::1 is missing, with a loud message on stderr.
"""

import atexit
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "helpers"))

import sipnat_test  # noqa: E402
# expect_silence and recv are re-exported for the test files.
from sipnat_test import (SipnatTestCase, expect_silence, fmt_hostport, ipv6_usable, is_sanitized,  # noqa: E402,F401
                         lease_port, recv, send_recv, udp_client, udp_port_bindable)

SCENARIOS = os.path.join(HERE, "scenarios")
SKIP = 77  # meson: test skipped

# A sanitizer build is several times slower; every wait below is scaled with this.
_SLOW = None


def slow():
    global _SLOW
    if _SLOW is None:
        _SLOW = 3.0 if is_sanitized() else 1.0
    return _SLOW


def skip_loudly(why):
    """Exits with meson's skip code and a message nobody can miss."""
    bar = "!" * 78
    sys.stderr.write("\n%s\n!! SKIPPED: %s\n%s\n" % (bar, why, bar))
    sys.stderr.flush()
    sys.exit(SKIP)


def require_sipp():
    if shutil.which("sipp") is None:
        skip_loudly("sipp is not installed (Debian: sip-tester); these tests need it")


def require_ipv6():
    if not ipv6_usable():
        skip_loudly("::1 is not usable here (no IPv6 on loopback): the IPv6 tests cannot run")


# Every sipnatd and SIPp a test starts runs in a session of its own (so it can be killed as a
# group), which also means it would outlive this process if meson's timeout killed it before
# the test's cleanups ran. So they are registered here and killed on SIGTERM / SIGINT / exit.
_LIVE = set()


def _reap():
    for o in list(_LIVE):
        try:
            o.close()  # kills it and removes its temp dir
        except Exception:  # noqa: BLE001 (best effort on the way out)
            pass
    _LIVE.clear()


def _on_signal(signum, _frame):
    _reap()
    sys.stderr.write("\nsignal %d: stopped every sipnatd and SIPp this test had started\n" % signum)
    sys.stderr.flush()
    os._exit(128 + signum)


def main():
    """unittest main, with the processes of a killed test reaped."""
    atexit.register(_reap)
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    sipnat_test.main()


def sipp_main():
    """main() for the files that need SIPp."""
    require_sipp()
    main()


# ---------------------------------------------------------------------------
# Config

DEFAULT_ROUTE = """\
    if (is_method("OPTIONS") && $rU == "") { sl_send_reply(200, "OK"); exit; }
    forward();
"""


def proxy_config(listens, children=1, route=DEFAULT_ROUTE, onreply=None, extra="", log_level=None):
    """A config with one `listen=` per (host, port), children=, and the route blocks."""
    out = ["# written by sipnat's SIP integration tests (test/integration/sip)"]
    for h, p in listens:
        out.append("listen=udp:%s" % fmt_hostport(h, p))
    out.append("children=%d" % children)
    if log_level is not None:
        out.append("log_level=%d" % log_level)
    if extra:
        out.append(extra)
    out.append("route {\n%s}" % route)
    if onreply is not None:
        out.append("onreply_route {\n%s}" % onreply)
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------
# SIP text

def hp(host, port):
    """host:port with IPv6 in brackets."""
    return fmt_hostport(host, port)


def ere_escape(s):
    """Escapes s for a POSIX extended regex (SIPp's <ereg>)."""
    return re.sub(r"([\\.\[\]()*+?{}|^$])", r"\\\1", s)


def xml_attr(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def split_message(data):
    """(start line, [(name, value)], body) of a SIP message (bytes); folded lines are joined
    with one space, names kept as written. For assertions only."""
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    start = lines[0].decode("latin-1")
    headers = []
    for l in lines[1:]:
        t = l.decode("latin-1")
        if t[:1] in (" ", "\t") and headers:
            n, v = headers[-1]
            headers[-1] = (n, v + " " + t.strip())
            continue
        n, _, v = t.partition(":")
        headers.append((n.strip(), v.strip()))
    return start, headers, body


COMPACT = {"v": "via", "f": "from", "t": "to", "i": "call-id", "m": "contact", "l": "content-length",
           "c": "content-type", "k": "supported", "s": "subject", "e": "content-encoding"}


def canon(name):
    n = name.lower()
    return COMPACT.get(n, n)


def header_values(data, name):
    """Every value of header `name` (case-insensitive, compact forms matched), in order."""
    _, headers, _ = split_message(data)
    return [v for n, v in headers if canon(n) == canon(name)]


def status_of(data):
    """Status code of a reply (bytes), or None."""
    if data is None or not data.startswith(b"SIP/2.0 "):
        return None
    try:
        return int(data[8:11])
    except ValueError:
        return None


def request(method, ruri, via_hp, from_hp, call_id, cseq=1, extra=(), max_forwards="70", body=b"",
            to_tag=None, via_params=";rport"):
    """A plain request (bytes); extra: header lines without CRLF; max_forwards None: no header."""
    lines = ["%s %s SIP/2.0" % (method, ruri),
             "Via: SIP/2.0/UDP %s;branch=z9hG4bK-%s-%d%s" % (via_hp, call_id, cseq, via_params)]
    if max_forwards is not None:
        lines.append("Max-Forwards: %s" % max_forwards)
    lines += ["From: <sip:it@%s>;tag=f-%s" % (from_hp, call_id),
              "To: <%s>%s" % (ruri, ";tag=%s" % to_tag if to_tag else ""),
              "Call-ID: %s" % call_id,
              "CSeq: %d %s" % (cseq, method)]
    lines += list(extra)
    lines.append("Content-Length: %d" % len(body))
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def reply_to(req, code, reason="OK", extra=(), to_tag="uas-tag"):
    """A reply to `req` (bytes) with its Vias, From, To (+tag), Call-ID and CSeq copied."""
    _, headers, _ = split_message(req)
    out = ["SIP/2.0 %d %s" % (code, reason)]
    for n, v in headers:
        c = canon(n)
        if c == "to" and to_tag and ";tag=" not in v:
            v += ";tag=" + to_tag
        if c in ("via", "from", "to", "call-id", "cseq"):
            out.append("%s: %s" % (n, v))
    out += list(extra)
    out.append("Content-Length: 0")
    return ("\r\n".join(out) + "\r\n\r\n").encode()


# ---------------------------------------------------------------------------
# SIPp

def render_scenario(name, dest_dir, subs):
    """Copies scenarios/<name> to dest_dir with every @KEY@ replaced by subs[KEY]; a key left
    unreplaced is an error in the test."""
    with open(os.path.join(SCENARIOS, name), encoding="iso-8859-1") as f:
        text = f.read()
    for k, v in subs.items():
        text = text.replace("@%s@" % k, str(v))
    left = re.findall(r"@[A-Z][A-Z0-9_]*@", text)
    if left:
        raise AssertionError("scenario %s: no value for %s" % (name, ", ".join(sorted(set(left)))))
    path = os.path.join(dest_dir, name)
    with open(path, "w", encoding="iso-8859-1") as f:
        f.write(text)
    return path


class Sipp:
    """One SIPp process in its own temp dir (its logs go there); always killed by close()."""

    def __init__(self, role, scenario, subs, args):
        self.role = role
        self.tmp = tempfile.TemporaryDirectory(prefix="sipnat-sipp-%s-" % role)
        if scenario.startswith("builtin:"):  # SIPp's own, e.g. "builtin:uac" -> -sn uac
            scenario_args = ["-sn", scenario[len("builtin:"):]]
        else:
            scenario_args = ["-sf", render_scenario(scenario, self.tmp.name, subs)]
        self.out_path = os.path.join(self.tmp.name, "stdout.txt")
        self.err_path = os.path.join(self.tmp.name, "errors.log")
        self.msg_path = os.path.join(self.tmp.name, "messages.log")
        self.argv = (["sipp"] + scenario_args + ["-nostdin", "-trace_err", "-error_file", self.err_path,
                      "-trace_msg", "-message_file", self.msg_path]
                     + [str(a) for a in args])
        self.proc = None
        self.returncode = None

    def start(self):
        self._out = open(self.out_path, "wb")
        self.proc = subprocess.Popen(self.argv, cwd=self.tmp.name, stdin=subprocess.DEVNULL, stdout=self._out,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        _LIVE.add(self)
        return self

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def wait(self, timeout):
        """Waits for the exit; returns the exit code, or None after killing it on timeout."""
        try:
            self.returncode = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            self.returncode = None
        return self.returncode

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except OSError:
                self.proc.kill()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                pass

    def close(self):
        self.kill()
        _LIVE.discard(self)
        if self.proc is not None:
            self._out.close()
        self.tmp.cleanup()

    def _tail(self, path, limit):
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError:
            return "(none)"
        text = data.decode("utf-8", "replace")
        return text if len(text) <= limit else "...\n" + text[-limit:]

    def report(self):
        return ("--- sipp %s: %s\n--- exit code: %r\n--- output (tail):\n%s\n--- errors:\n%s\n"
                "--- messages (tail):\n%s\n" % (self.role, " ".join(self.argv), self.returncode,
                                                self._tail(self.out_path, 3000), self._tail(self.err_path, 6000),
                                                self._tail(self.msg_path, 6000)))


# ---------------------------------------------------------------------------
# Test case base

class SipTestCase(SipnatTestCase):
    """Proxy + peers; everything a test starts is stopped in its cleanups."""

    def setUp(self):
        self.d = None

    # --- resources ---

    def start(self, make_config, **kw):
        """SipnatTestCase.start, with the daemon registered for the reaper."""
        d, ports = super().start(make_config, **kw)
        _LIVE.add(d)
        self.addCleanup(_LIVE.discard, d)
        return d, ports

    def lease(self, host="127.0.0.1"):
        """A free UDP port, held (file lock) until the end of the test."""
        l = lease_port(host)
        self.addCleanup(l.release)
        return l.port

    def socket(self, host="127.0.0.1", port=0):
        """A UDP socket bound to host:port (0: any free port), closed at the end."""
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        s = socket.socket(family, socket.SOCK_DGRAM)
        self.addCleanup(s.close)
        s.bind((host, port))
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        return s

    def start_proxy(self, children=1, host="127.0.0.1", route=DEFAULT_ROUTE, onreply=None, extra="",
                    log_level=3):
        """Starts sipnatd listening on host (a fresh port); returns that port. self.d is the daemon."""
        make = lambda p: proxy_config([(host, p[0])], children=children, route=route, onreply=onreply,  # noqa: E731
                                      extra=extra)
        self.d, ports = self.start(make, hosts=[host], log_level=log_level)
        self.proxy_host = host
        self.proxy_port = ports[0]
        return ports[0]

    # --- SIPp ---

    def sipp(self, role, scenario, subs, args):
        s = Sipp(role, scenario, subs, args)
        self.addCleanup(s.close)
        return s.start()

    def sipp_uas(self, scenario, host, port, calls, subs=None, extra=()):
        """Starts a SIPp UAS on host:port that serves `calls` calls, and waits until it is bound."""
        args = ["-i", host, "-p", port, "-m", calls, "-timeout", "%ds" % int(60 * slow()), "-timeout_error"]
        s = self.sipp("uas", scenario, subs or {}, args + list(extra))
        deadline = time.monotonic() + 10 * slow()
        while udp_port_bindable(host, port):
            if not s.running() or time.monotonic() > deadline:
                self.fail("SIPp UAS did not bind %s\n%s" % (hp(host, port), s.report()))
            time.sleep(0.02)
        return s

    def sipp_uac(self, scenario, remote, host, port, calls, rate=20, subs=None, via_proxy=True, extra=()):
        """Starts a SIPp UAC on host:port calling `remote` (host:port), `calls` calls at `rate`
        per second; with via_proxy every datagram goes to the proxy (-rsa)."""
        args = [remote, "-i", host, "-p", port, "-m", calls, "-r", rate, "-l", max(calls, 1),
                "-timeout", "%ds" % int(60 * slow()), "-timeout_error"]
        if via_proxy:
            args += ["-rsa", hp(self.proxy_host, self.proxy_port)]
        return self.sipp("uac", scenario, subs or {}, args + list(extra))

    def assert_sipp_ok(self, s, timeout):
        rc = s.wait(timeout)
        self.assertEqual(rc, 0, "SIPp %s failed (exit %r; 1: some calls failed, None: killed after %.0fs)\n%s"
                         "--- sipnatd log:\n%s" % (s.role, rc, timeout, s.report(), self.d.log_text() if self.d else ""))

    def call_subs(self, uac, uas, rr="", contact=None, ruri=None, route_re=None):
        """Template fields of uac.xml / uas.xml for a call UAC -> proxy -> UAS (each (host, port)),
        and the -key arguments of the UAS. rr: Record-Route value for the 180/200 ("" for none);
        contact: the UAS Contact URI; ruri: the Request-URI ACK/BYE must arrive with (default: the
        Contact); route_re: regex the Route header of ACK/BYE must match (None: must be absent)."""
        contact = contact or "sip:uas@%s" % hp(*uas)
        uas_keys = ["-key", "contact", contact] + (["-key", "rr", rr] if rr else [])
        return uas_keys, {
            "PROXY_VIA_RE": ere_escape("SIP/2.0/UDP " + hp(self.proxy_host, self.proxy_port)),
            "UAC_VIA_RE": ere_escape("SIP/2.0/UDP " + hp(*uac)),
            # SIPp would read "[::1]" in a message as a keyword: such values go in with -key.
            "RR": "\n      Record-Route: [rr]" if rr else "",
            "RURI_RE": xml_attr(ere_escape(ruri or contact)),
            "ROUTE_RE": "." if route_re is None else xml_attr(route_re),
            "ROUTE_CHECK": 'check_it_inverse="true"' if route_re is None else 'check_it="true"',
        }

    def run_calls(self, calls, rate, host="127.0.0.1", rr="", contact=None, ruri=None, route_re=None,
                  uac_scenario="uac.xml", uas_scenario="uas.xml", subs=None, during=None):
        """Runs `calls` calls UAC -> proxy -> UAS with SIPp and asserts both sides saw every one
        succeed. The contact / rr / ruri / route_re templates may use {uas} and {proxy} (host:port).
        during(): called while the calls run (e.g. to interleave other traffic)."""
        uac_port, uas_port = self.lease(host), self.lease(host)
        names = {"uas": hp(host, uas_port), "proxy": hp(self.proxy_host, self.proxy_port)}
        fmt = lambda t: t.format(**names) if t else t  # noqa: E731
        ere = {k: ere_escape(v) for k, v in names.items()}
        uas_keys, sub = self.call_subs((host, uac_port), (host, uas_port), rr=fmt(rr), contact=fmt(contact),
                                       ruri=fmt(ruri), route_re=route_re.format(**ere) if route_re else None)
        sub.update(subs or {})
        uas = self.sipp_uas(uas_scenario, host, uas_port, calls, sub, extra=uas_keys)
        uac = self.sipp_uac(uac_scenario, hp(host, uas_port), host, uac_port, calls, rate, sub)
        if during is not None:
            during()
        budget = (calls / rate + 15) * slow()
        self.assert_sipp_ok(uac, budget)
        self.assert_sipp_ok(uas, budget)

    # --- proxy checks ---

    def options_probe(self, host=None, port=None):
        """Sends an OPTIONS to the proxy itself; returns the reply (or None)."""
        host = host or self.proxy_host
        port = port or self.proxy_port
        with udp_client(host) as c:
            req = request("OPTIONS", "sip:%s" % hp(host, port), hp(host, c.getsockname()[1]),
                          hp(host, c.getsockname()[1]), "probe-%d" % time.monotonic_ns(), via_params="")
            data, _ = send_recv(c, req, (host, port), timeout=3 * slow())
            return data

    def assert_still_answers(self):
        data = self.options_probe()
        self.assertEqual(status_of(data), 200, "no 200 to an OPTIONS probe (got %r); log:\n%s"
                         % (data, self.d.log_text()))

    def assert_no_warnings(self):
        bad = [l for l in self.d.lines() if " ERROR [" in l or " WARNING [" in l]
        self.assertEqual(bad, [], self.d.log_text())

    def assert_proxy_clean_stop(self):
        """SIGTERM: exit 0, "sipnatd stopped", no sanitizer report."""
        rc = self.d.stop(signal.SIGTERM)
        log = self.d.log_text()
        self.assertEqual(rc, 0, "exit code %r after SIGTERM; log:\n%s" % (rc, log))
        self.assert_logged(self.d, r"^sipnatd stopped$", timeout=0)
        self.assertEqual(self.d.sanitizer_report(), [], log)
