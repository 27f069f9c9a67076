#!/usr/bin/env python3
"""Keepalives interleaved with calls (one worker, so they share its socket and loop with the
SIP traffic): "\\r\\n\\r\\n" is answered "\\r\\n" from the listener every time, a lone "\\r\\n" and
4 zero bytes are dropped silently, and 50 SIPp calls running at the same time all complete."""

import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from sip_helpers import SipTestCase, hp, recv, request, sipp_main, slow, status_of  # noqa: E402


class KeepaliveTest(SipTestCase):

    def test_keepalives_during_calls(self):
        self.start_proxy(children=1)
        dst = (self.proxy_host, self.proxy_port)
        stop = threading.Event()
        problems = []
        stats = {"pings": 0, "pongs": 0, "silent": 0}

        def pinger():
            # "\r\n\r\n" -> "\r\n", every time, from the listener.
            s = self.socket()
            while not stop.is_set():
                s.sendto(b"\r\n\r\n", dst)
                stats["pings"] += 1
                data, src = recv(s, 3 * slow())
                if data != b"\r\n" or src != dst:
                    problems.append("CRLFCRLF answered %r from %r" % (data, src))
                    return
                stats["pongs"] += 1
                time.sleep(0.005)

        def silent():
            # "\r\n" and "\0\0\0\0" then an OPTIONS on the same socket (same worker, in order):
            # the first thing back must be the 200, not an answer to the keepalive.
            s = self.socket()
            me = hp("127.0.0.1", s.getsockname()[1])
            n = 0
            while not stop.is_set():
                n += 1
                s.sendto(b"\r\n" if n % 2 else b"\0\0\0\0", dst)
                opt = request("OPTIONS", "sip:%s" % hp(*dst), me, me, "ka-%d" % n, via_params="")
                s.sendto(opt, dst)
                data, _ = recv(s, 3 * slow())
                if status_of(data) != 200 or b"Call-ID: ka-%d\r\n" % n not in data:
                    problems.append("keepalive %d: expected the OPTIONS' 200 first, got %r" % (n, data))
                    return
                stats["silent"] += 1
                time.sleep(0.01)

        threads = [threading.Thread(target=pinger), threading.Thread(target=silent)]
        try:
            self.run_calls(50, 20, during=lambda: [t.start() for t in threads])
        finally:
            stop.set()
            for t in threads:
                if t.is_alive() or t.ident is not None:
                    t.join(10 * slow())
        self.assertEqual(problems, [], self.d.log_text())
        self.assertGreater(stats["pongs"], 20, stats)
        self.assertGreater(stats["silent"], 20, stats)
        self.assertEqual(stats["pings"], stats["pongs"], stats)
        self.assert_no_warnings()
        self.assert_proxy_clean_stop()


if __name__ == "__main__":
    sipp_main()
