#!/usr/bin/env python3
"""Max-Forwards (RFC 3261 §16.3 step 3, §16.6 step 3) through the stateless proxy, with Python
UDP peers: 0 is answered 483 and nothing is forwarded (an ACK with 0 is neither answered nor
forwarded); N > 0 arrives at the UAS as N-1 (only the digits change); a request without the
header arrives with `Max-Forwards: 70` added as the last header; a non-number is a 400."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from sip_helpers import (SipTestCase, expect_silence, header_values, hp, main, recv, request, slow,  # noqa: E402
                         split_message, status_of)


class MaxForwardsTest(SipTestCase):

    def setUp(self):
        super().setUp()
        self.start_proxy(children=2)
        self.uac = self.socket()
        self.uas = self.socket()
        self.me = hp("127.0.0.1", self.uac.getsockname()[1])
        self.far = hp("127.0.0.1", self.uas.getsockname()[1])
        self.n = 0

    def send(self, mf, method="INVITE", extra=()):
        self.n += 1
        req = request(method, "sip:bob@%s" % self.far, self.me, self.me, "mf-%d" % self.n, extra=extra,
                      max_forwards=mf, via_params="")
        self.uac.sendto(req, ("127.0.0.1", self.proxy_port))
        return req

    def forwarded(self):
        data, _ = recv(self.uas, 3 * slow())
        self.assertIsNotNone(data, "nothing forwarded; log:\n%s" % self.d.log_text())
        return data

    def test_zero_is_483(self):
        for method in ("INVITE", "OPTIONS", "BYE"):
            self.send("0", method)
            data, src = recv(self.uac, 3 * slow())
            self.assertEqual(status_of(data), 483, "%s: %r" % (method, data))
            self.assertTrue(data.startswith(b"SIP/2.0 483 Too Many Hops\r\n"), data)
            self.assertEqual(src, ("127.0.0.1", self.proxy_port))
            self.assertEqual(header_values(data, "CSeq"), ["1 %s" % method])
        self.assertTrue(expect_silence(self.uas, 0.3 * slow()), "a request with Max-Forwards 0 was forwarded")
        self.assert_still_answers()
        self.assert_proxy_clean_stop()

    def test_zero_on_ack_is_silent(self):
        self.send("0", "ACK")
        self.assertTrue(expect_silence(self.uac, 0.3 * slow()), "an ACK was answered")
        self.assertTrue(expect_silence(self.uas, 0.1), "an ACK with Max-Forwards 0 was forwarded")
        self.assert_proxy_clean_stop()

    def test_decremented(self):
        for sent, seen in (("5", "4"), ("1", "0"), ("70", "69"), ("2147483647", "2147483646")):
            req = self.send(sent)
            got = self.forwarded()
            self.assertEqual(header_values(got, "Max-Forwards"), [seen], got)
            # The line itself: same name and spacing, new digits.
            self.assertIn(b"\r\nMax-Forwards: %s\r\n" % seen.encode(), got)
            self.assertNotIn(b"Max-Forwards: %s\r\n" % sent.encode(), got.replace(b"Max-Forwards: %s\r\n" % seen.encode(), b""))
            self.assertTrue(got.endswith(req.split(b"\r\nFrom:", 1)[1]), "tail changed:\n%r\n%r" % (req, got))
        self.assert_proxy_clean_stop()

    def test_spacing_kept(self):
        self.send("  5 ")  # "Max-Forwards:   5 ": only the digits change
        got = self.forwarded()
        self.assertIn(b"\r\nMax-Forwards:   4 \r\n", got)
        self.assert_proxy_clean_stop()

    def test_absent_is_70(self):
        self.send(None)
        got = self.forwarded()
        self.assertEqual(header_values(got, "Max-Forwards"), ["70"], got)
        start, headers, body = split_message(got)
        self.assertEqual(headers[-1], ("Max-Forwards", "70"), got)
        self.assertEqual(body, b"")
        self.assert_proxy_clean_stop()

    def test_not_a_number_is_400(self):
        for bad in ("abc", "-1", "99999999999"):
            self.send(bad)
            data, _ = recv(self.uac, 3 * slow())
            self.assertEqual(status_of(data), 400, "Max-Forwards %r: %r" % (bad, data))
        self.assertTrue(expect_silence(self.uas, 0.3 * slow()))
        self.assert_proxy_clean_stop()


if __name__ == "__main__":
    main()
