#!/usr/bin/env python3
"""STUN clients nobody here wrote, against the stun module on sipnatd's SIP socket:

- Debian's `stun` (stun-client 0.97, classic RFC 3489 NAT-type discovery): the right mapped
  address, tests I, II (change IP), III (change port) and I(2) (to the changed address) all
  answered, verdict "Open"; started against each of the four sockets of the set.
- coturn's `turnutils_stunclient` (RFC 5389 Binding, then RESPONSE-PORT + change IP/port, then
  PADDING + change IP/port), with and without -f (forced RFC 5780).
- coturn's `turnutils_natdiscovery` (RFC 5780): mapping (-m), filtering (-f, the change-IP+port
  test), with PADDING (-P), hairpinning (-H), mapping lifetime (-t, RESPONSE-PORT), collision (-c).

Every client runs under a timeout (coturn's stunclient blocks forever on a lost answer).
A missing client is a skip of its tests (the whole file exits 77 only when all are missing)."""

import re
import sys
import unittest

from stuntest import SKIP, StunTestCase, find_addrs, main, run_tool, tool  # noqa: F401
import stunmsg  # noqa: F401

STUN = tool("stun")
STUNCLIENT = tool("turnutils_stunclient")
NATDISCOVERY = tool("turnutils_natdiscovery")
TOOL_TIMEOUT = 40


def hp(addr):
    return "%s:%d" % addr


def coturn_blocks(out):
    """coturn prints one block per answer carrying OTHER-ADDRESS:
    'RFC 5780 response N' then Response origin / Other addr / UDP reflexive addr lines.
    Returns [{'n': N, 'origin': (ip, port), 'other': ..., 'reflexive': ...}]."""
    blocks = []
    parts = re.split(r"RFC 5780 response (\d+)\n", out)
    for i in range(1, len(parts) - 1, 2):
        text = parts[i + 1].split("====")[0]
        b = {"n": int(parts[i]), "text": text}
        for key, label in (("origin", r"Response origin: : "), ("other", r"Other addr: : "),
                           ("reflexive", r"UDP reflexive addr: ")):
            found = find_addrs(label + r"\[?([0-9a-fA-F:.]*[0-9a-fA-F])\]?:(\d+)", text)
            b[key] = found[0] if found else None
        blocks.append(b)
    return blocks


class Clients(StunTestCase):
    children = 1

    # IPv4 by default: a fresh 127.A.B.0/24 (server .1 and .2, clients .7 and .8). The IPv6
    # variants (test_ipv6.py) override these with ::1, ::2, ::1, ::3.
    ip1 = ip2 = client_ip = client_ip2 = None

    def setUp(self):
        self.srv = self.start_stun(ip1=self.ip1, ip2=self.ip2)
        if self.ip1 is None:
            base = self.srv.ip1.rsplit(".", 1)[0] + "."
            self.client_ip, self.client_ip2 = base + "7", base + "8"

    def fail_with(self, msg, out):
        self.fail("%s\n--- client output:\n%s\n--- sipnatd log:\n%s" % (msg, out, self.srv.d.log_text()))

    # --- Debian stun-client (RFC 3489) -----------------------------------------------------

    def run_debian_stun(self, server_index):
        if not STUN:
            self.skipTest("Debian `stun` client not installed (apt-get install stun-client)")
        if ":" in self.srv.ip1:
            self.skipTest("Debian `stun` client (0.97) is IPv4-only")
        server = self.srv.sock(server_index)
        rc, out = run_tool([STUN, hp(server), "-v", "-i", self.client_ip], TOOL_TIMEOUT)
        if "Primary: Open" not in out:
            self.fail_with("stun against %s: no 'Primary: Open' (exit %r)" % (hp(server), rc), out)
        for t in ("test I = 1", "test II = 1", "test III = 1", "test I(2) = 1", "is nat  = 0",
                  "mapped IP same = 1"):
            if t not in out:
                self.fail_with("stun against %s: %r missing" % (hp(server), t), out)
        if "Return value is 0x000001" not in out or rc != 1:
            self.fail_with("stun: return value / exit code %r not 1 (Open, port preserved)" % rc, out)
        mapped = find_addrs(r"MappedAddress = " + r"([0-9.]+):(\d+)", out)
        sources = find_addrs(r"SourceAddress = ([0-9.]+):(\d+)", out)
        changed = find_addrs(r"ChangedAddress = ([0-9.]+):(\d+)", out)
        self.assertGreaterEqual(len(mapped), 4, out)
        for ip, port in mapped:
            self.assertEqual(ip, self.client_ip, out)
        # The client sends test I/II/III to `server`, then test I(2) to CHANGED-ADDRESS's IP with
        # the server's port. Each answer's SOURCE-ADDRESS is the socket that sent it.
        want_sources = {self.srv.sock(server_index), self.srv.sock(server_index ^ 2),
                        self.srv.sock(server_index ^ 1)}
        self.assertTrue(want_sources <= set(sources), "SOURCE-ADDRESSes %s, want %s\n%s" %
                        (sources, want_sources, out))
        self.assertIn(self.srv.sock(server_index ^ 3), changed, out)
        return out

    def test_debian_stun_open_from_primary(self):
        self.run_debian_stun(0)

    def test_debian_stun_against_every_socket(self):
        for i in (1, 2, 3):
            with self.subTest(server_socket=i):
                self.run_debian_stun(i)

    # --- coturn turnutils_stunclient -----------------------------------------------------------

    def run_stunclient(self, force):
        if not STUNCLIENT:
            self.skipTest("turnutils_stunclient not installed (apt-get install coturn)")
        argv = [STUNCLIENT, "-p", str(self.srv.port1), "-L", self.client_ip] + (["-f"] if force else [])
        rc, out = run_tool(argv + [self.srv.ip1], TOOL_TIMEOUT)
        if rc != 0:
            self.fail_with("turnutils_stunclient exit %r" % rc, out)
        for bad in ("error", "not a", "Cannot", "Wrong", "timeout"):
            if bad in out:
                self.fail_with("turnutils_stunclient said %r" % bad, out)
        blocks = coturn_blocks(out)
        if len(blocks) != 3:
            self.fail_with("expected 3 RFC 5780 answers, got %d" % len(blocks), out)
        b1, b2, b3 = blocks
        port = b1["reflexive"][1]
        # 1: plain Binding
        self.assertEqual(b1["reflexive"][0], self.client_ip, out)
        self.assertEqual(b1["origin"], self.srv.sock(0), out)
        self.assertEqual(b1["other"], self.srv.sock(3), out)
        # 2: RESPONSE-PORT port+1 + CHANGE-REQUEST ip+port, read on port+1
        self.assertEqual(b2["reflexive"], (self.client_ip, port), out)
        self.assertEqual(b2["origin"], self.srv.sock(3), out)
        self.assertEqual(b2["other"], self.srv.sock(3), out)
        # 3: from port+1, PADDING 1500 + CHANGE-REQUEST ip+port
        self.assertEqual(b3["reflexive"], (self.client_ip, port + 1), out)
        self.assertEqual(b3["origin"], self.srv.sock(3), out)
        return out

    def test_stunclient(self):
        self.run_stunclient(force=False)

    def test_stunclient_forced_rfc5780(self):
        self.run_stunclient(force=True)

    # --- coturn turnutils_natdiscovery ---------------------------------------------------------

    def natdiscovery(self, *opts):
        if not NATDISCOVERY:
            self.skipTest("turnutils_natdiscovery not installed (apt-get install coturn)")
        argv = [NATDISCOVERY] + list(opts) + ["-p", str(self.srv.port1), "-L", self.client_ip, self.srv.ip1]
        rc, out = run_tool(argv, TOOL_TIMEOUT)
        if rc != 0:
            self.fail_with("turnutils_natdiscovery %s: exit %r" % (" ".join(opts), rc), out)
        for bad in ("timeout", "error", "ALG detected", "Not received", "not a", "Cannot", "Wrong"):
            if bad in out:
                self.fail_with("turnutils_natdiscovery %s said %r" % (" ".join(opts), bad), out)
        return out, coturn_blocks(out)

    def test_natdiscovery_mapping_and_filtering(self):
        for padding in ([], ["-P"]):
            with self.subTest(padding=bool(padding)):
                out, blocks = self.natdiscovery("-m", "-f", *padding)
                self.assertIn("-= Mapping Behavior Discovery =-", out)
                self.assertIn("NAT with Endpoint Independent Mapping!", out)
                self.assertIn("NAT with Endpoint Independent Filtering!", out)
                self.assertEqual(out.count("No NAT! (Endpoint Independent Mapping)"), 2, out)
                self.assertEqual(len(blocks), 4, out)
                for b in blocks:
                    self.assertIn("No ALG: Mapped == XOR-Mapped", b["text"])
                    self.assertEqual(b["reflexive"][0], self.client_ip, out)
                # mapping: test I to the primary, test II to OTHER-ADDRESS's IP, primary port
                self.assertEqual(blocks[0]["origin"], self.srv.sock(0), out)
                self.assertEqual(blocks[0]["other"], self.srv.sock(3), out)
                self.assertEqual(blocks[1]["origin"], self.srv.sock(2), out)
                self.assertEqual(blocks[1]["other"], self.srv.sock(1), out)
                self.assertEqual(blocks[0]["reflexive"], blocks[1]["reflexive"], out)
                # filtering: test I, then test II = CHANGE-REQUEST ip+port, answered from socket 3
                self.assertEqual(blocks[2]["origin"], self.srv.sock(0), out)
                self.assertEqual(blocks[3]["origin"], self.srv.sock(3), out)
                self.assertEqual(blocks[3]["other"], self.srv.sock(3), out)

    def test_natdiscovery_hairpinning(self):
        out, blocks = self.natdiscovery("-H")
        self.assertIn("Received a request (maybe a successful hairpinning)", out)
        self.assertEqual(len(blocks), 1, out)
        self.assertEqual(blocks[0]["origin"], self.srv.sock(0), out)

    def test_natdiscovery_lifetime_uses_response_port(self):
        # The second request comes from a new socket and carries RESPONSE-PORT = the first
        # socket's port: the answer reaches the first socket, mapped to the second one.
        out, blocks = self.natdiscovery("-t", "-T", "1")
        self.assertEqual(len(blocks), 2, out)
        self.assertEqual(blocks[0]["reflexive"][0], self.client_ip)
        self.assertNotEqual(blocks[0]["reflexive"][1], blocks[1]["reflexive"][1], out)
        self.assertEqual(blocks[1]["origin"], self.srv.sock(0), out)

    def test_natdiscovery_collision(self):
        out, blocks = self.natdiscovery("-c", "-A", self.client_ip2)
        self.assertEqual(len(blocks), 2, out)
        self.assertEqual(blocks[0]["reflexive"][0], self.client_ip, out)
        self.assertEqual(blocks[1]["reflexive"][0], self.client_ip2, out)
        self.assertEqual(blocks[0]["reflexive"][1], blocks[1]["reflexive"][1], out)

    def test_zz_clean_stop(self):
        if STUN and ":" not in self.srv.ip1:
            self.run_debian_stun(0)
        self.assert_stopped_cleanly(self.srv.d)


class ClientsTwoWorkers(Clients):
    children = 2


if __name__ == "__main__":
    if not (STUN or STUNCLIENT or NATDISCOVERY):
        print("SKIP: none of stun, turnutils_stunclient, turnutils_natdiscovery is installed", file=sys.stderr)
        sys.exit(SKIP)
    main()
