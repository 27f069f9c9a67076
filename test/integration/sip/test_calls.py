#!/usr/bin/env python3
"""Calls through the stateless proxy: SIPp UAC -> sipnatd -> SIPp UAS on 127.0.0.1, 50 calls
(INVITE/100/180/200/ACK/BYE/200) at 20 calls per second, all of which must complete on both
sides, with children=1 and children=2; also SIPp's built-in uac/uas, and two UAC/UAS pairs at
once. SIPp checks every hop (scenarios/uac.xml, uas.xml): the proxy's Via on top of requests
(branch z9hG4bK + 32 hex), Max-Forwards 69, bodies intact, the proxy's Via gone from replies.
Then the daemon stops cleanly (exit 0, no sanitizer report)."""

import os
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from sip_helpers import SipTestCase, hp, sipp_main, slow  # noqa: E402

CALLS = 50
RATE = 20


class CallsTest(SipTestCase):

    def check_calls(self, children):
        self.start_proxy(children=children)
        self.assert_still_answers()
        self.run_calls(CALLS, RATE)
        self.assert_still_answers()
        self.assert_no_warnings()
        self.assert_proxy_clean_stop()

    def test_calls_children_1(self):
        self.check_calls(1)

    def test_calls_children_2(self):
        self.check_calls(2)

    def test_sipp_builtin_scenarios(self):
        # SIPp's own uac / uas (-sn), as a second opinion on the custom scenarios.
        self.start_proxy(children=2)
        uac_port, uas_port = self.lease(), self.lease()
        uas = self.sipp_uas("builtin:uas", "127.0.0.1", uas_port, 20)
        uac = self.sipp_uac("builtin:uac", hp("127.0.0.1", uas_port), "127.0.0.1", uac_port, 20, rate=20)
        self.assert_sipp_ok(uac, 30 * slow())
        self.assert_sipp_ok(uas, 30 * slow())
        self.assert_no_warnings()
        self.assert_proxy_clean_stop()

    def test_calls_children_2_two_flows(self):
        # Two UAC/UAS pairs at once: two flows that SO_REUSEPORT may spread over both workers.
        self.start_proxy(children=2)
        errors = []

        def other():
            try:
                self.run_calls(20, 10)
            except AssertionError as e:  # reported below, from the main thread
                errors.append(str(e))

        t = threading.Thread(target=other)
        self.run_calls(CALLS, RATE, during=t.start)
        t.join(120)
        self.assertEqual(errors, [])
        self.assert_no_warnings()
        self.assert_proxy_clean_stop()


if __name__ == "__main__":
    sipp_main()
