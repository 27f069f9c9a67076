#!/usr/bin/env python3
"""Replies whose top Via is not the proxy's are dropped (RFC 3261 §16.7 step 3 for a stateless
proxy; README "Replies: dropped unless the top Via is ours"), before onreply_route runs: a
Python UDP peer sends replies to the proxy whose second Via names a listening socket, and
nothing may arrive there. A positive control with the proxy's Via on top arrives."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from sip_helpers import SipTestCase, expect_silence, hp, main, recv, slow  # noqa: E402

ONREPLY = '    xlog("L_NOTICE", "onreply_route ran for $rs $ci\\n");\n'


class ForeignReplyTest(SipTestCase):

    def setUp(self):
        super().setUp()
        self.start_proxy(children=2, onreply=ONREPLY)
        self.peer = self.socket()     # sends the replies (plays a UAS)
        self.target = self.socket()   # what the second Via names (plays the UAC)
        self.dst = ("127.0.0.1", self.proxy_port)
        self.t = hp("127.0.0.1", self.target.getsockname()[1])

    def reply(self, top_via, call_id):
        lines = ["SIP/2.0 200 OK"]
        if top_via is not None:
            lines.append("Via: %s" % top_via)
        lines += ["Via: SIP/2.0/UDP %s;branch=z9hG4bK-uac-%s" % (self.t, call_id),
                  "From: <sip:a@127.0.0.1>;tag=1", "To: <sip:b@127.0.0.1>;tag=2",
                  "Call-ID: %s" % call_id, "CSeq: 1 INVITE", "Content-Length: 0"]
        return ("\r\n".join(lines) + "\r\n\r\n").encode()

    def test_foreign_top_via_dropped(self):
        p = self.proxy_port
        other = self.lease()
        cases = [
            ("another port on our IP", "SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bK-x1" % other),
            ("our port on another IP", "SIP/2.0/UDP 127.0.0.2:%d;branch=z9hG4bK-x2" % p),
            ("our IP, no port (5060)", "SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK-x3"),
            ("a host name that is no alias", "SIP/2.0/UDP localhost:%d;branch=z9hG4bK-x4" % p),
            ("an IPv6 address", "SIP/2.0/UDP [::1]:%d;branch=z9hG4bK-x5" % p),
            ("a remote proxy", "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-x6"),
            ("no Via above the target's", None),
        ]
        for i, (name, via) in enumerate(cases):
            with self.subTest(name):
                self.peer.sendto(self.reply(via, "foreign-%d" % i), self.dst)
                self.assertTrue(expect_silence(self.target, 0.3 * slow()),
                                "%s: a reply with top Via %r was forwarded" % (name, via))
        # Positive control: our Via on top -> forwarded to the target, minus our Via.
        ours = "SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bK-ours" % p
        self.peer.sendto(self.reply(ours, "ours"), self.dst)
        got, src = recv(self.target, 3 * slow())
        self.assertEqual(got, self.reply(None, "ours"), self.d.log_text())
        self.assertEqual(src, self.dst)
        # Our Via twice (the request passed us twice): the first hop is to ourselves, then on.
        twice = self.reply(ours, "twice").replace(b"Via: ", b"Via: %s\r\nVia: " % ours.replace("ours", "o2").encode(), 1)
        self.peer.sendto(twice, self.dst)
        got, src = recv(self.target, 3 * slow())
        self.assertEqual(got, self.reply(None, "twice"), self.d.log_text())
        # onreply_route ran for our replies only.
        self.assert_logged(self.d, r"onreply_route ran for 200 ours$")
        self.assertEqual(self.d.find_all(r"onreply_route ran for .* foreign"), [], self.d.log_text())
        self.assert_still_answers()
        self.assert_proxy_clean_stop()


if __name__ == "__main__":
    main()
