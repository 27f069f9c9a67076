#!/usr/bin/env python3
"""Shutdown: SIGTERM and SIGINT stop sipnatd within 1 s with exit 0, after the shutdown
log line, modules' destroy and `sipnatd stopped`; its ports can be bound again after."""

import os
import signal
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "helpers"))

from sipnat_test import (START_TIMEOUT, SipnatTestCase, Sipnatd, ipv6_usable, is_sanitized, lease_port, main,  # noqa: E402
                         send_recv, testmod_config, udp_client, udp_port_bindable)

# The promise is 1 s. A sanitizer build also runs LeakSanitizer's scan at exit, which on a
# loaded 2-core machine can take a moment longer; it gets some slack, the plain build none.
MAX_STOP = 1.0
MAX_STOP_SANITIZED = 3.0


class SignalsTest(SipnatTestCase):

    def check_stop(self, sig, children):
        hosts = ["127.0.0.1", "::1"] if ipv6_usable() else ["127.0.0.1"]
        d, ports = self.start(lambda p: testmod_config(list(zip(hosts, p)), children=children),
                              n_ports=len(hosts), hosts=hosts, log_level=3)
        # Traffic first, and let the workers' timers run (they must be stopped cleanly too).
        for h, p in zip(hosts, ports):
            with udp_client(h) as c:
                data, _ = send_recv(c, b"TESTMOD", (h, p))
                self.assertIsNotNone(data, d.log_text())
        d.wait_count(r"^testmod: repeat timer stopped on worker", children, timeout=5)
        limit = MAX_STOP_SANITIZED if is_sanitized() else MAX_STOP
        self.assert_clean_stop(d, sig, max_seconds=limit)
        # Order of the shutdown lines.
        msgs = d.messages()
        i_sig = msgs.index("signal %d received, shutting down" % int(sig))
        i_destroy = msgs.index("testmod: destroy")
        i_stopped = msgs.index("sipnatd stopped")
        self.assertLess(i_sig, i_destroy)
        self.assertLess(i_destroy, i_stopped)
        self.assertEqual(msgs.count("testmod: destroy"), 1)
        self.assertEqual(i_stopped, len(msgs) - 1, "lines after 'sipnatd stopped': %s" % msgs[i_stopped:])
        # Every socket was closed: a plain bind to each port works again.
        for h, p in zip(hosts, ports):
            self.assertTrue(udp_port_bindable(h, p), "udp %s:%d still bound after exit" % (h, p))

    def test_sigterm_one_worker(self):
        self.check_stop(signal.SIGTERM, 1)

    def test_sigterm_two_workers(self):
        self.check_stop(signal.SIGTERM, 2)

    def test_sigint_two_workers(self):
        self.check_stop(signal.SIGINT, 2)

    def test_sigterm_right_after_start(self):
        # A signal as soon as it says it started (timers still pending) is handled the same.
        d, ports = self.start(lambda p: testmod_config([("127.0.0.1", p[0])], children=2), log_level=3)
        self.assert_clean_stop(d, signal.SIGTERM, max_seconds=MAX_STOP_SANITIZED if is_sanitized() else MAX_STOP)
        self.assertTrue(udp_port_bindable("127.0.0.1", ports[0]))

    def test_sigterm_during_startup(self):
        # A signal while workers are still starting is not lost and does not kill it
        # half-way: start-up completes, then the usual clean shutdown (destroy included).
        lease = lease_port()
        self.addCleanup(lease.release)
        d = Sipnatd(testmod_config([("127.0.0.1", lease.port)], children=4), log_level=3)
        self.addCleanup(d.close)
        d.start()
        self.assert_logged(d, r"^testmod: worker_init id=0 of 4$", timeout=START_TIMEOUT)
        d.proc.send_signal(signal.SIGTERM)
        self.assertEqual(d.wait_exit(START_TIMEOUT), 0, d.log_text())
        msgs = d.messages()
        self.assertIn("sipnatd started with 4 workers", msgs, d.log_text())
        self.assertLess(msgs.index("sipnatd started with 4 workers"), msgs.index("signal 15 received, shutting down"))
        self.assertEqual(d.count(r"^testmod: worker_init "), 4)
        self.assertEqual(msgs[-2:], ["testmod: destroy", "sipnatd stopped"])
        self.assert_no_sanitizer_report(d)
        self.assertTrue(udp_port_bindable("127.0.0.1", lease.port))

    def test_sigterm_under_load(self):
        # Datagrams keep coming while it shuts down: it still stops in time.
        d, ports = self.start(lambda p: testmod_config([("127.0.0.1", p[0])], children=2), log_level=3)
        with udp_client() as c:
            for i in range(200):
                c.sendto(b"TESTMOD %d" % i, ("127.0.0.1", ports[0]))
            time.sleep(0.05)
            self.assert_clean_stop(d, signal.SIGTERM,
                                   max_seconds=MAX_STOP_SANITIZED if is_sanitized() else MAX_STOP)


if __name__ == "__main__":
    main()
