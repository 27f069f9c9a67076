#!/usr/bin/env python3
"""OPTIONS answered by the script: `if (is_method("OPTIONS") && $rU == "") { sl_send_reply(200,
"OK"); exit; }`. SIPp (scenarios/options.xml) checks the 200: a To tag added when the request had
none (and not when it had one), rport/received on the Via, From/Call-ID/CSeq copied. Python
checks the rest: a retransmission gets the same To tag, a reply without rport goes to the Via's
port, and an OPTIONS with a user part is forwarded instead of answered."""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from sip_helpers import (SipTestCase, ere_escape, expect_silence, header_values, hp, recv, request,  # noqa: E402
                         send_recv, sipp_main, slow, split_message, status_of)


class OptionsTest(SipTestCase):

    def test_sipp_options(self):
        port = self.start_proxy(children=2)
        uac_port = self.lease()
        subs = {"VIA_RE": ere_escape("SIP/2.0/UDP " + hp("127.0.0.1", uac_port)), "PORT": uac_port,
                "IP_RE": ere_escape("127.0.0.1")}
        uac = self.sipp_uac("options.xml", hp("127.0.0.1", port), "127.0.0.1", uac_port, 20, rate=50, subs=subs,
                            via_proxy=False)
        self.assert_sipp_ok(uac, 30 * slow())
        self.assert_no_warnings()
        self.assert_proxy_clean_stop()

    def test_reply_details(self):
        port = self.start_proxy(children=1)
        c = self.socket()
        me = hp("127.0.0.1", c.getsockname()[1])
        # No rport: the reply goes to the Via's sent-by port, which is our socket here.
        req = request("OPTIONS", "sip:127.0.0.1:%d" % port, me, me, "opt-1", via_params="")
        r1, src = send_recv(c, req, ("127.0.0.1", port), timeout=3 * slow())
        self.assertEqual(status_of(r1), 200, "%r\n%s" % (r1, self.d.log_text()))
        self.assertEqual(src, ("127.0.0.1", port), "reply not sent from the listener")
        start, headers, body = split_message(r1)
        self.assertEqual(start, "SIP/2.0 200 OK")
        self.assertEqual(body, b"")
        # The Via comes back as sent: same host as the source, no rport asked.
        self.assertEqual(header_values(r1, "Via"), ["SIP/2.0/UDP %s;branch=z9hG4bK-opt-1-1" % me])
        self.assertEqual(header_values(r1, "From"), ["<sip:it@%s>;tag=f-opt-1" % me])
        self.assertEqual(header_values(r1, "Call-ID"), ["opt-1"])
        self.assertEqual(header_values(r1, "CSeq"), ["1 OPTIONS"])
        to = header_values(r1, "To")
        self.assertEqual(len(to), 1)
        m = re.fullmatch(r"<sip:127\.0\.0\.1:%d>;tag=([0-9a-f]{16})" % port, to[0])
        self.assertIsNotNone(m, to)
        # A retransmission: the same tag (stateless: derived from the request).
        r2, _ = send_recv(c, req, ("127.0.0.1", port), timeout=3 * slow())
        self.assertEqual(r2, r1)
        # Another transaction: another tag.
        req3 = request("OPTIONS", "sip:127.0.0.1:%d" % port, me, me, "opt-2", via_params="")
        r3, _ = send_recv(c, req3, ("127.0.0.1", port), timeout=3 * slow())
        self.assertEqual(status_of(r3), 200)
        self.assertNotEqual(header_values(r3, "To"), to)
        self.assertTrue(expect_silence(c, 0.2 * slow()))

    def test_options_with_user_is_forwarded(self):
        port = self.start_proxy(children=1)
        c = self.socket()
        uas = self.socket()
        me = hp("127.0.0.1", c.getsockname()[1])
        target = hp("127.0.0.1", uas.getsockname()[1])
        req = request("OPTIONS", "sip:bob@%s" % target, me, me, "opt-fwd", via_params="")
        c.sendto(req, ("127.0.0.1", port))
        got, src = recv(uas, 3 * slow())
        self.assertIsNotNone(got, "OPTIONS with a user was not forwarded; log:\n%s" % self.d.log_text())
        self.assertEqual(src, ("127.0.0.1", port))
        self.assertTrue(got.startswith(b"OPTIONS sip:bob@%s SIP/2.0\r\n" % target.encode()), got)
        self.assertTrue(expect_silence(c, 0.3 * slow()), "the proxy answered an OPTIONS it forwarded")
        self.assert_proxy_clean_stop()


if __name__ == "__main__":
    sipp_main()
