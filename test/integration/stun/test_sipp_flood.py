#!/usr/bin/env python3
"""SIP calls and a STUN flood through the same sipnatd UDP socket at the same time.

SIPp (test/sipp/uac.xml -> sipnatd -> test/sipp/uas.xml) places CALLS calls at RATE calls/s through
the proxy's listener, while a Python client floods the same listener with STUN Binding requests
(several sockets, a window of outstanding requests each, a mix of RFC 5389, RFC 5389 with
FINGERPRINT, RFC 3489, and CHANGE-REQUEST ip+port answered from the alternate socket) and, now and
then, a SIP OPTIONS from the same sockets. Checked:

- every call completes (both SIPp sides exit 0 with CALLS successful calls);
- every STUN request is answered exactly once, from the right socket, with its transaction id and
  the right mapped address (retransmissions on timeout are counted and must be 0 on loopback);
- every OPTIONS from a flood socket gets its SIP 200 (so SIP from a STUN client is not eaten);
- nothing is misclassified: sipnatd (log level 5) logs no "dropped STUN datagram" (a SIP message
  taken for STUN) and no "unparsable datagram" (a STUN message handed to the SIP parser), and it
  saw each INVITE and BYE; the flood sockets get nothing that is neither their STUN answer nor
  their SIP 200.
With children=1 and children=2. Skipped (77) when sipp is not installed."""

import os
import re
import selectors
import shutil
import socket
import subprocess
import sys
import time

from stuntest import SKIP, StunServer, StunTestCase, lease_port, loopback_block, main, stun_config
import stunmsg as sm
from sipnat_test import sip_options

SIPP = shutil.which("sipp")
SCEN = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "sipp"))
CALLS = 50
RATE = 20
FLOOD_SOCKETS = 4
WINDOW = 16              # outstanding STUN requests per flood socket
MIN_REQUESTS = 4000      # at least this many, and on until the calls are done
MAX_REQUESTS = 400000
OPTIONS_EVERY = 250      # one OPTIONS per this many STUN requests on each socket
RESEND_AFTER = 2.0       # s; loopback loses nothing unless a queue overflows (or the box stalls us)
MAX_TRIES = 4
SIPP_TIMEOUT = 120


class Flood:
    """The STUN (+ a little SIP) client: FLOOD_SOCKETS non-blocking sockets on client_ip."""

    KINDS = ("5389", "5389+fp", "3489", "5389+change")

    def __init__(self, client_ip, srv):
        self.srv = srv
        self.sel = selectors.DefaultSelector()
        self.socks = []
        for _ in range(FLOOD_SOCKETS):
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.bind((client_ip, 0))
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
            s.setblocking(False)
            self.socks.append(s)
            self.sel.register(s, selectors.EVENT_READ, len(self.socks) - 1)
        self.pending = [dict() for _ in self.socks]     # tid -> [data, sent_at, tries, want_from]
        self.options = [dict() for _ in self.socks]     # call-id -> sent_at
        self.sent = self.answered = self.resent = self.lost = self.duplicates = 0
        self.retransmitted = set()                      # tids answered after a retransmission
        self.by_kind = {k: 0 for k in self.KINDS}
        self.options_sent = self.options_answered = 0
        self.problems = []
        self.seq = 0

    def close(self):
        for s in self.socks:
            self.sel.unregister(s)
            s.close()
        self.sel.close()

    def problem(self, text):
        if len(self.problems) < 20:
            self.problems.append(text)

    def send_one(self, i):
        kind = self.KINDS[self.seq % len(self.KINDS)]
        self.seq += 1
        if kind == "5389":
            data, tid = sm.request()
            want = self.srv.sock(0)
        elif kind == "5389+fp":
            data, tid = sm.request(fingerprint=True)
            want = self.srv.sock(0)
        elif kind == "3489":
            data, tid = sm.request(rfc5389=False)
            want = self.srv.sock(0)
        else:
            data, tid = sm.request(sm.change_request(True, True))
            want = self.srv.sock(3)
        self.by_kind[kind] += 1
        self.pending[i][tid] = [data, time.monotonic(), 1, want, kind]
        self.socks[i].sendto(data, self.srv.primary)
        self.sent += 1
        if self.sent % OPTIONS_EVERY == i:
            me = self.socks[i].getsockname()
            cid = "flood-%d-%d" % (i, self.sent)
            self.socks[i].sendto(sip_options(self.srv.ip1, self.srv.port1, me[0], me[1], cid), self.srv.primary)
            self.options[i][cid] = time.monotonic()
            self.options_sent += 1

    def receive(self, i):
        s = self.socks[i]
        me = s.getsockname()[:2]
        while True:
            try:
                raw, src = s.recvfrom(65536)
            except (BlockingIOError, InterruptedError):
                return
            except ConnectionRefusedError:
                continue
            if raw[:1] in (b"\x00", b"\x01"):
                try:
                    m = sm.parse(raw)
                except sm.BadMessage as e:
                    self.problem("bad STUN answer on socket %d: %s" % (i, e))
                    continue
                entry = self.pending[i].pop(m.tid, None)
                if entry is None:
                    if m.tid in self.retransmitted:
                        self.duplicates += 1   # the answer to a retransmission we also sent
                    else:
                        self.problem("STUN answer with an unknown transaction id on socket %d" % i)
                    continue
                data, _, tries, want, kind = entry
                if tries > 1:
                    self.retransmitted.add(m.tid)
                if m.type != sm.BINDING_SUCCESS:
                    self.problem("%s: answer type 0x%04X\n%s" % (kind, m.type, m.describe()))
                elif src[:2] != want:
                    self.problem("%s: answer from %s, want %s" % (kind, src[:2], want))
                else:
                    mapped = m.address(sm.MAPPED_ADDRESS)
                    xor = m.address(sm.XOR_MAPPED_ADDRESS if m.rfc5389 else sm.XOR_MAPPED_ADDRESS_OLD)
                    if mapped != me or xor != me:
                        self.problem("%s: mapped %s / xor %s, want %s" % (kind, mapped, xor, me))
                    if kind == "5389+fp" and m.types()[-1] != sm.FINGERPRINT:
                        self.problem("no FINGERPRINT in the answer to a request with one")
                self.answered += 1
            elif raw.startswith(b"SIP/2.0 "):
                cid = re.search(rb"\r\n(?:Call-ID|i)\s*:\s*(\S+)", raw, re.I)
                key = cid.group(1).decode() if cid else None
                if key not in self.options[i]:
                    self.problem("unexpected SIP on socket %d: %r" % (i, raw[:80]))
                    continue
                del self.options[i][key]
                if not raw.startswith(b"SIP/2.0 200 "):
                    self.problem("OPTIONS answered %r" % raw[:40])
                self.options_answered += 1
            else:
                self.problem("neither STUN nor SIP on socket %d: %r" % (i, raw[:40]))

    def expire(self):
        now = time.monotonic()
        for i, pend in enumerate(self.pending):
            for tid, e in list(pend.items()):
                if now - e[1] < RESEND_AFTER:
                    continue
                if e[2] >= MAX_TRIES:
                    del pend[tid]
                    self.lost += 1
                    self.problem("STUN %s request never answered" % e[4])
                    continue
                e[1], e[2] = now, e[2] + 1
                self.resent += 1
                self.socks[i].sendto(e[0], self.srv.primary)

    def outstanding(self):
        return sum(len(p) for p in self.pending) + sum(len(o) for o in self.options)

    def run(self, keep_going, deadline):
        """Floods until keep_going() is false and MIN_REQUESTS were sent, then drains."""
        last_expire = time.monotonic()
        while time.monotonic() < deadline:
            more = (keep_going() or self.sent < MIN_REQUESTS) and self.sent < MAX_REQUESTS
            if more:
                for i in range(len(self.socks)):
                    while len(self.pending[i]) < WINDOW:
                        self.send_one(i)
            elif self.outstanding() == 0:
                return
            for key, _ in self.sel.select(0.05):
                self.receive(key.data)
            if time.monotonic() - last_expire > 0.1:
                self.expire()
                last_expire = time.monotonic()
        self.problem("flood did not finish before its deadline (%d outstanding)" % self.outstanding())


class SippFlood(StunTestCase):
    children = 1

    def test_calls_and_stun_flood_on_one_socket(self):
        if not SIPP:
            self.skipTest("sipp not installed (apt-get install sip-tester)")
        base = loopback_block()
        ip1, ip2, uas_ip, uac_ip, flood_ip = (base + x for x in ("1", "2", "5", "6", "7"))
        uas_lease = lease_port(uas_ip)
        self.addCleanup(uas_lease.release)
        uac_lease = lease_port(uac_ip, avoid=[uas_lease.port])
        self.addCleanup(uac_lease.release)

        def make(ports):
            return stun_config([(ip1, ports[0])], ip1, ip2, str(ports[0]), str(ports[1]), children=self.children)

        d, ports = self.start(make, n_ports=2, hosts=[ip1, ip2], log_level=5)
        srv = StunServer(d, ip1, ip2, ports[0], ports[1])
        tmp = d.tmp.name

        common = ["-nostdin", "-trace_err", "-trace_stat", "-fd", "1", "-timeout", "%ds" % SIPP_TIMEOUT]
        uas = subprocess.Popen([SIPP, "-sf", os.path.join(SCEN, "uas.xml"), "-i", uas_ip, "-p", str(uas_lease.port),
                                "-m", str(CALLS)] + common, cwd=tmp, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
        self.addCleanup(self.reap, uas)
        time.sleep(0.3)
        flood = Flood(flood_ip, srv)
        self.addCleanup(flood.close)
        with sm.bound_socket(flood_ip) as probe:   # the daemon answers STUN before the calls start
            req, tid = sm.request()
            self.assertIsNotNone(sm.transact(probe, req, srv.primary, tid)[0], d.log_text())
        uac = subprocess.Popen([SIPP, "%s:%d" % (uas_ip, uas_lease.port), "-rsa", "%s:%d" % srv.primary,
                                "-sf", os.path.join(SCEN, "uac.xml"), "-i", uac_ip, "-p", str(uac_lease.port),
                                "-m", str(CALLS), "-r", str(RATE), "-l", str(CALLS)] + common,
                               cwd=tmp, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, start_new_session=True)
        self.addCleanup(self.reap, uac)
        t0 = time.monotonic()
        flood.run(lambda: uac.poll() is None, t0 + SIPP_TIMEOUT + 30)
        flood_secs = time.monotonic() - t0
        uac_rc, uac_out = self.finish(uac)
        uas_rc, uas_out = self.finish(uas)
        log = d.log_text()

        report = ("flood: %d STUN requests in %.1fs (%s), %d answered, %d resent (%d duplicate answers), %d lost; "
                  "%d OPTIONS, %d answered\nproblems:\n  %s" %
                  (flood.sent, flood_secs, flood.by_kind, flood.answered, flood.resent, flood.duplicates, flood.lost,
                   flood.options_sent, flood.options_answered, "\n  ".join(flood.problems) or "none"))
        sys.stderr.write(report + "\n")
        tail = "\n--- %s\n" + "%s"
        self.assertEqual(uac_rc, 0, "SIPp UAC exit %r\n%s" % (uac_rc, report) + tail % ("uac", uac_out[-3000:]) +
                         tail % ("sipnatd log tail", log[-3000:]))
        self.assertEqual(uas_rc, 0, "SIPp UAS exit %r\n%s" % (uas_rc, report) + tail % ("uas", uas_out[-3000:]))
        self.assertEqual(self.successful_calls(uac_tmp=tmp), CALLS, report)
        self.assertEqual(flood.problems, [], report)
        self.assertGreaterEqual(flood.sent, MIN_REQUESTS, report)
        self.assertEqual(flood.answered, flood.sent, report)
        self.assertEqual(flood.lost, 0, report)
        # flood.resent is reported, not asserted: a loaded 2-core box can stall a process for seconds
        self.assertEqual(flood.options_answered, flood.options_sent, report)
        # misclassification, as sipnatd saw it
        self.assertEqual(d.count(r"dropped STUN datagram"), 0, "SIP taken for STUN?\n" + log[-3000:])
        self.assertEqual(d.count(r"dropping unparsable datagram"), 0, "STUN handed to SIP?\n" + log[-3000:])
        self.assertGreaterEqual(d.count(r"^SIP request INVITE from %s:%d$" % (re.escape(uac_ip), uac_lease.port)),
                                CALLS, "INVITEs seen by the proxy")
        self.assertGreaterEqual(d.count(r"^SIP request BYE from %s:%d$" % (re.escape(uac_ip), uac_lease.port)),
                                CALLS, "BYEs seen by the proxy")
        self.assertGreaterEqual(d.count(r"^SIP request OPTIONS from %s:" % re.escape(flood_ip)),
                                flood.options_sent)
        self.assert_stopped_cleanly(d)

    # --- SIPp processes ---

    def finish(self, p):
        try:
            out, _ = p.communicate(timeout=SIPP_TIMEOUT + 30)
        except subprocess.TimeoutExpired:
            self.reap(p)
            out, _ = p.communicate()
            return None, out.decode("utf-8", "replace")
        return p.returncode, out.decode("utf-8", "replace")

    @staticmethod
    def reap(p):
        if p.poll() is None:
            try:
                os.killpg(p.pid, 9)
            except OSError:
                p.kill()
            p.wait(5)

    def successful_calls(self, uac_tmp):
        """SuccessfulCall(C) from the UAC's last -trace_stat line (the CSV in its cwd)."""
        files = [f for f in os.listdir(uac_tmp) if f.startswith("uac_") and f.endswith("_.csv")]
        self.assertTrue(files, "no SIPp statistics file in %s: %s" % (uac_tmp, os.listdir(uac_tmp)))
        with open(os.path.join(uac_tmp, files[0]), encoding="utf-8", errors="replace") as f:
            rows = [l.rstrip("\n").split(";") for l in f if l.strip()]
        head, last = rows[0], rows[-1]
        return int(last[head.index("SuccessfulCall(C)")])


class SippFloodTwoWorkers(SippFlood):
    children = 2


if __name__ == "__main__":
    if not SIPP:
        print("SKIP: sipp is not installed", file=sys.stderr)
        sys.exit(SKIP)
    main()
