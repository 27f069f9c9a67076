#!/usr/bin/env python3
"""Worker model: modules' worker_init runs exactly once per worker (ids 0..N-1, on that
worker: testmod checks worker_id() and worker_loop()), worker timers fire on their worker
and stop themselves; a failing init or worker_init stops start-up with exit 1."""

import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "helpers"))

from sipnat_test import (START_TIMEOUT, SipnatTestCase, Sipnatd, config_pos, lease_port, main,  # noqa: E402
                         send_recv, testmod_config, udp_client)


class WorkersTest(SipnatTestCase):

    def check_workers(self, n):
        d, ports = self.start(lambda p: testmod_config([("127.0.0.1", p[0])], children=n))
        self.assert_logged(d, r"^sipnatd started with %d workers?$" % n, timeout=0)
        self.assert_logged(d, r"^testmod: init worker_count=%d log_level=4$" % n, timeout=0)
        # Every worker's timers: the one-shot fires once, the repeating one stops after 3.
        self.assertEqual(d.wait_count(r"^testmod: repeat timer stopped on worker \d+ after 3 fires$", n), n,
                         d.log_text())
        self.assertEqual(d.wait_count(r"^testmod: timer fired on worker \d+$", n), n, d.log_text())
        inits = [int(m.group(1)) for m in d.find_all(r"^testmod: worker_init id=(\d+) of %d$" % n)]
        self.assertEqual(sorted(inits), list(range(n)), d.log_text())
        self.assertEqual(d.count(r"^testmod: worker_init "), n, d.log_text())
        fired = sorted(int(m.group(1)) for m in d.find_all(r"^testmod: timer fired on worker (\d+)$"))
        self.assertEqual(fired, list(range(n)))
        stopped = sorted(int(m.group(1)) for m in d.find_all(r"^testmod: repeat timer stopped on worker (\d+) "))
        self.assertEqual(stopped, list(range(n)))
        # Each worker has its own socket: many flows end up on more than one worker (n > 1).
        if n > 1:
            seen = set()
            for _ in range(64):
                with udp_client() as c:
                    data, _ = send_recv(c, b"TESTMOD", ("127.0.0.1", ports[0]))
                    self.assertIsNotNone(data)
                    seen.add(int(re.search(rb"worker=(\d+)", data).group(1)))
                if len(seen) == n:
                    break
            self.assertEqual(seen, set(range(n)), "datagrams from 64 flows all reached workers %s" % seen)
        # Still exactly once per worker after traffic and timers.
        self.assertEqual(d.count(r"^testmod: worker_init "), n)
        self.assert_clean_stop(d)

    def test_one_worker(self):
        self.check_workers(1)

    def test_two_workers(self):
        self.check_workers(2)

    def test_four_workers(self):
        self.check_workers(4)

    def run_failing(self, params, children=2):
        lease = lease_port()
        self.addCleanup(lease.release)
        self.config = testmod_config([("127.0.0.1", lease.port)], children=children, params=params)
        d = Sipnatd(self.config, log_level=4)
        self.addCleanup(d.close)
        d.start()
        rc = d.wait_exit(START_TIMEOUT)
        self.assertEqual(rc, 1, d.log_text())
        self.assert_not_logged(d, r"^sipnatd started")
        self.assert_no_sanitizer_report(d)
        return d

    def test_worker_init_failure(self):
        # Worker 1's worker_init fails: start-up stops, exit 1, and destroy still runs
        # because init had succeeded.
        d = self.run_failing([("fail_worker_init", 1)])
        self.assert_logged(d, r"^testmod: failing worker_init on worker 1 as asked$", timeout=0)
        self.assert_logged(d, r"^module 'testmod' failed to initialise worker 1$", timeout=0)
        self.assert_logged(d, r"^testmod: destroy$", timeout=0)

    def test_init_failure(self):
        # init fails: its reason is reported, no worker starts and destroy does not run
        # (only modules whose init succeeded are destroyed).
        d = self.run_failing([("fail_init", "told to fail")])
        # Reported at the module's loadmodule line (the reason names no param).
        line, col = config_pos(self.config, 'loadmodule "testmod.so"')
        self.assert_logged(d, r"^%s:%d:%d: module 'testmod' failed to initialise: told to fail$"
                           % (re.escape(d.config_path), line, col), timeout=0)
        self.assert_not_logged(d, r"^testmod: worker_init")
        self.assert_not_logged(d, r"^testmod: destroy$")

    def test_init_failure_reported_at_param(self):
        # A reason that starts with "param:" is reported at that param's modparam value.
        d = self.run_failing([("int_param", 1), ("fail_init", "fail_init: told to fail")])
        line, col = config_pos(self.config, '"fail_init: told to fail"')
        self.assert_logged(d, r"^%s:%d:%d: module 'testmod' failed to initialise: fail_init: told to fail$"
                           % (re.escape(d.config_path), line, col), timeout=0)
        self.assert_not_logged(d, r"^testmod: destroy$")


if __name__ == "__main__":
    main()
