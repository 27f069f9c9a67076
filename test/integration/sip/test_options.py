#!/usr/bin/env python3
"""OPTIONS answered by the script: `if (is_method("OPTIONS") && $rU == "") { sl_send_reply(200,
"OK"); exit; }`. SIPp (scenarios/options.xml) checks the 200: a To tag added when the request had
none (and not when it had one), rport/received on the Via, From/Call-ID/CSeq copied. Python
checks the rest: a retransmission gets the same To tag, a reply without rport goes to the Via's
port, an OPTIONS with a user part is forwarded instead of answered, the ACK of a negative reply
sl_send_reply sent is absorbed (another ACK is forwarded), and a 100 gets no To tag."""

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

    def test_ack_of_own_negative_reply_absorbed(self):
        # README: "The ACK for a negative reply sipnatd itself sent is absorbed, not forwarded."
        route = ('    if (is_method("OPTIONS") && $rU == "") { sl_send_reply(200, "OK"); exit; }\n'
                 '    if (is_method("INVITE") && $rU == "busy") { sl_send_reply(486, "Busy Here"); exit; }\n'
                 '    if ($rU == "trying") { sl_send_reply(100, "Trying"); exit; }\n'
                 '    forward();\n')
        port = self.start_proxy(children=1, route=route)
        c, uas = self.socket(), self.socket()
        me = hp("127.0.0.1", c.getsockname()[1])
        ruri = "sip:busy@%s" % hp("127.0.0.1", uas.getsockname()[1])
        inv = request("INVITE", ruri, me, me, "busy-1", via_params="")
        r, _ = send_recv(c, inv, ("127.0.0.1", port), timeout=3 * slow())
        self.assertEqual(status_of(r), 486, r)
        tag = re.search(r";tag=([0-9a-f]{16})$", header_values(r, "To")[0]).group(1)
        # The ACK for it (RFC 3261 §17.1.1.3: same branch, To with the reply's tag): absorbed.
        ack = inv.replace(b"INVITE sip:", b"ACK sip:").replace(b"1 INVITE", b"1 ACK")
        ack = ack.replace(b"To: <%s>" % ruri.encode(), b"To: <%s>;tag=%s" % (ruri.encode(), tag.encode()))
        c.sendto(ack, ("127.0.0.1", port))
        self.assertTrue(expect_silence(uas, 0.3 * slow()), "the ACK of our own 486 was forwarded")
        self.assertTrue(expect_silence(c, 0.05), "an ACK was answered")
        # An ACK with another To tag is not ours: forwarded.
        c.sendto(ack.replace(tag.encode(), b"0123456789abcdef"), ("127.0.0.1", port))
        got, _ = recv(uas, 3 * slow())
        self.assertIsNotNone(got, "an ACK for someone else's reply was not forwarded; log:\n%s" % self.d.log_text())
        self.assertTrue(got.startswith(b"ACK %s SIP/2.0\r\n" % ruri.encode()), got)
        # sl_send_reply(100): no To tag for a 100 (RFC 3261 §8.2.6.2).
        t = request("INVITE", "sip:trying@127.0.0.1:9", me, me, "trying-1", via_params="")
        r, _ = send_recv(c, t, ("127.0.0.1", port), timeout=3 * slow())
        self.assertEqual(status_of(r), 100, r)
        self.assertEqual(header_values(r, "To"), ["<sip:trying@127.0.0.1:9>"])
        self.assert_proxy_clean_stop()

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
