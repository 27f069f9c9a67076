#!/usr/bin/env python3
"""Demux order on real sockets: testmod's raw hook sees datagrams first, then keepalives
(CRLFCRLF answered with CRLF from the same socket; lone CRLF and 4 zero bytes dropped),
then SIP. On 127.0.0.1 and, when usable, ::1 (both listeners in one sipnatd)."""

import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "helpers"))

from sipnat_test import (DUMP_ROUTE, SipnatTestCase, expect_silence, ipv6_usable, main, recv, send_recv,  # noqa: E402
                         sip_options, sip_seen_re, testmod_config, udp_client)


class DemuxChecks:
    """Checks run against one listener (host, port) of a running daemon self.d."""

    children = 2

    def ack_re(self, what, host, port):
        sock = "[%s]:%d" % (host, port) if ":" in host else "%s:%d" % (host, port)
        return re.compile(r"^%s worker=(\d+) sock=%s$" % (re.escape(what), re.escape(sock)))

    def check_testmod_ack(self, host, port):
        with udp_client(host) as c:
            data, src = send_recv(c, b"TESTMOD hello", (host, port))
            self.assertIsNotNone(data, "no answer to TESTMOD on %s:%d; log:\n%s" % (host, port, self.d.log_text()))
            self.assertEqual(src, (host, port), "answer not sent from the listener it reached")
            m = self.ack_re("TESTMOD-ACK", host, port).match(data.decode())
            self.assertIsNotNone(m, data)
            self.assertIn(int(m.group(1)), range(self.children))
            self.assert_logged(self.d, r"^testmod: hook claimed TESTMOD-ACK on worker \d+ sock=")

    def check_hook_prefix_crlf(self, host, port):
        # Starts like a keepalive: the hook still gets it first and claims it.
        with udp_client(host) as c:
            data, src = send_recv(c, b"\r\n\r\nHOOK", (host, port))
            self.assertIsNotNone(data, self.d.log_text())
            self.assertEqual(src, (host, port))
            self.assertRegex(data.decode(), self.ack_re("HOOK-ACK", host, port))

    def check_double_crlf(self, host, port):
        with udp_client(host) as c:
            data, src = send_recv(c, b"\r\n\r\n", (host, port))
            self.assertEqual(data, b"\r\n", self.d.log_text())
            self.assertEqual(src, (host, port))

    def check_silent(self, host, port, payload):
        # The same client socket always reaches the same worker (SO_REUSEPORT hashes the
        # flow), which handles datagrams in order: if the keepalive had been answered, the
        # answer would arrive before the TESTMOD-ACK.
        with udp_client(host) as c:
            c.sendto(payload, (host, port))
            c.sendto(b"TESTMOD after", (host, port))
            data, src = recv(c)
            self.assertIsNotNone(data, self.d.log_text())
            self.assertTrue(data.startswith(b"TESTMOD-ACK"), "%r answered with %r" % (payload, data))
            self.assertTrue(expect_silence(c, 0.3))

    def check_sip_logged(self, host, port):
        with udp_client(host) as c:
            mark = self.d.mark()
            c.sendto(sip_options(host, port, host, c.getsockname()[1]), (host, port))
            self.assert_logged(self.d, sip_seen_re("OPTIONS", host, c.getsockname()[1]), start=mark)

    def run_all(self, host, port):
        with self.subTest("TESTMOD"):
            self.check_testmod_ack(host, port)
        with self.subTest("CRLFCRLF+HOOK"):
            self.check_hook_prefix_crlf(host, port)
        with self.subTest("CRLFCRLF"):
            self.check_double_crlf(host, port)
        with self.subTest("lone CRLF"):
            self.check_silent(host, port, b"\r\n")
        with self.subTest("4 zero bytes"):
            self.check_silent(host, port, b"\0\0\0\0")
        with self.subTest("SIP"):
            self.check_sip_logged(host, port)


class HooksTest(DemuxChecks, SipnatTestCase):

    def test_ipv4(self):
        self.d, ports = self.start(lambda p: testmod_config([("127.0.0.1", p[0])], children=self.children,
                                                            extra=DUMP_ROUTE))
        self.run_all("127.0.0.1", ports[0])
        self.assert_clean_stop(self.d)

    def test_ipv4_and_ipv6(self):
        if not ipv6_usable():
            self.skipTest("::1 is not usable here")
        hosts = ["127.0.0.1", "::1"]
        self.d, ports = self.start(
            lambda p: testmod_config(list(zip(hosts, p)), children=self.children, extra=DUMP_ROUTE), n_ports=2, hosts=hosts)
        self.assert_logged(self.d, r"^listening on udp:127\.0\.0\.1:%d$" % ports[0], timeout=0)
        self.assert_logged(self.d, r"^listening on udp:\[::1\]:%d$" % ports[1], timeout=0)
        self.assert_logged(self.d, r"^testmod: socket 1 udp:\[::1\]:%d listener=1 proto=1$" % ports[1], timeout=0)
        for host, port in zip(hosts, ports):
            with self.subTest(host=host):
                self.run_all(host, port)
        self.assert_clean_stop(self.d)

    def test_hook_runs_before_keepalive(self):
        # claim_keepalive=1: the hook claims "\r\n\r\n" itself, so no CRLF answer comes.
        self.d, ports = self.start(lambda p: testmod_config([("127.0.0.1", p[0])], children=1,
                                                            params=[("claim_keepalive", 1)]))
        with udp_client() as c:
            data, src = send_recv(c, b"\r\n\r\n", ("127.0.0.1", ports[0]))
            self.assertEqual(data, b"KEEPALIVE-CLAIMED worker=0 sock=127.0.0.1:%d" % ports[0], self.d.log_text())
            self.assertEqual(src, ("127.0.0.1", ports[0]))
            self.assertTrue(expect_silence(c, 0.3), "a CRLF answer came too")
        self.assert_clean_stop(self.d)

    def test_many_datagrams_one_batch(self):
        # More datagrams than one recvmmsg batch (32): every one answered, from the listener.
        self.d, ports = self.start(lambda p: testmod_config([("127.0.0.1", p[0])], children=1), log_level=3)
        n = 100
        with udp_client() as c:
            for i in range(n):
                c.sendto(b"TESTMOD %d" % i, ("127.0.0.1", ports[0]))
            got = 0
            while got < n:
                data, src = recv(c, 5.0)
                if data is None:
                    break
                self.assertEqual(src, ("127.0.0.1", ports[0]))
                got += 1
            self.assertEqual(got, n, self.d.log_text())
        self.assert_clean_stop(self.d)


if __name__ == "__main__":
    main()
