#!/usr/bin/env python3
"""A socket a module opens in init (socket_open_udp, via testmod's extra_socket param) is
polled by every worker and demuxed like a listener: raw hooks, keepalives and SIP."""

import os
import re
import socket
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "helpers"))

from sipnat_test import (DUMP_ROUTE, START_TIMEOUT, SipnatTestCase, Sipnatd, config_pos, ipv6_usable,  # noqa: E402
                         lease_port, main, recv, send_recv, sip_options, sip_seen_re, testmod_config, udp_client)


class ExtraSocketTest(SipnatTestCase):

    def check_socket(self, d, host, port, children):
        sock = "[%s]:%d" % (host, port) if ":" in host else "%s:%d" % (host, port)
        # Many flows, so with several workers each worker's fd is exercised.
        workers = set()
        for _ in range(16):
            with udp_client(host) as c:
                data, src = send_recv(c, b"TESTMOD extra", (host, port))
                self.assertIsNotNone(data, d.log_text())
                self.assertEqual(src, (host, port), "answer not sent from the module socket")
                m = re.match(r"^TESTMOD-ACK worker=(\d+) sock=%s$" % re.escape(sock), data.decode())
                self.assertIsNotNone(m, data)
                workers.add(int(m.group(1)))
        self.assertTrue(workers <= set(range(children)), workers)
        with udp_client(host) as c:
            data, src = send_recv(c, b"\r\n\r\n", (host, port))
            self.assertEqual((data, src), (b"\r\n", (host, port)), d.log_text())
            c.sendto(b"\r\n", (host, port))
            c.sendto(b"TESTMOD after", (host, port))
            data, _ = recv(c)
            self.assertTrue(data and data.startswith(b"TESTMOD-ACK"), data)
            mark = d.mark()
            c.sendto(sip_options(host, port, host, c.getsockname()[1]), (host, port))
            self.assert_logged(d, sip_seen_re("OPTIONS", host, c.getsockname()[1]), start=mark)

    def test_extra_socket_ipv4(self):
        children = 2
        d, ports = self.start(
            lambda p: testmod_config([("127.0.0.1", p[0])], children=children,
                                     params=[("extra_socket", "127.0.0.1:%d" % p[1])], extra=DUMP_ROUTE),
            n_ports=2)
        listen, extra = ports
        self.assert_logged(d, r"^testmod: opened extra socket udp:127\.0\.0\.1:%d$" % extra, timeout=0)
        self.assert_logged(d, r"^testmod: socket 0 udp:127\.0\.0\.1:%d listener=1 proto=1$" % listen, timeout=0)
        self.assert_logged(d, r"^testmod: socket 1 udp:127\.0\.0\.1:%d listener=0 proto=1$" % extra, timeout=0)
        self.assert_logged(d, r"^testmod: 2 sockets, socket_find ok$", timeout=0)
        self.assert_logged(d, r"^module socket udp:127\.0\.0\.1:%d$" % extra, timeout=0)
        self.check_socket(d, "127.0.0.1", extra, children)
        self.check_socket(d, "127.0.0.1", listen, children)
        self.assert_clean_stop(d)

    def test_extra_socket_ipv6(self):
        if not ipv6_usable():
            self.skipTest("::1 is not usable here")
        d, ports = self.start(
            lambda p: testmod_config([("127.0.0.1", p[0])], children=1,
                                     params=[("extra_socket", "[::1]:%d" % p[1])], extra=DUMP_ROUTE),
            n_ports=2, hosts=["127.0.0.1", "::1"])
        self.assert_logged(d, r"^testmod: socket 1 udp:\[::1\]:%d listener=0 proto=1$" % ports[1], timeout=0)
        self.assert_logged(d, r"^module socket udp:\[::1\]:%d$" % ports[1], timeout=0)
        self.check_socket(d, "::1", ports[1], 1)
        self.assert_clean_stop(d)

    def test_extra_socket_port_taken(self):
        # The module's socket cannot be bound: its init fails and start-up stops.
        lease, taken = lease_port(), lease_port()
        self.addCleanup(lease.release)
        self.addCleanup(taken.release)
        blocker = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.addCleanup(blocker.close)
        blocker.bind(("127.0.0.1", taken.port))
        config = testmod_config([("127.0.0.1", lease.port)], params=[("extra_socket", "127.0.0.1:%d" % taken.port)])
        d = Sipnatd(config, log_level=4)
        self.addCleanup(d.close)
        d.start()
        self.assertEqual(d.wait_exit(START_TIMEOUT), 1, d.log_text())
        self.assert_logged(d, r"^cannot open module socket: cannot bind udp:127\.0\.0\.1:%d: " % taken.port,
                           timeout=0)
        # The reason starts "extra_socket:", so it is reported at that modparam's value.
        line, col = config_pos(config, '"127.0.0.1:%d"' % taken.port)
        self.assert_logged(d, r"^%s:%d:%d: module 'testmod' failed to initialise: extra_socket: cannot open udp "
                              r"127\.0\.0\.1:%d$" % (re.escape(d.config_path), line, col, taken.port), timeout=0)
        self.assert_no_sanitizer_report(d)


if __name__ == "__main__":
    main()
