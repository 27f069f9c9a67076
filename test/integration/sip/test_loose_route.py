#!/usr/bin/env python3
"""Loose routing (RFC 3261 §16.4, §16.6 step 6, §16.12) through the stateless proxy.

SIPp calls (scenarios/uac.xml against uas.xml): the UAS's 180/200 carry a Record-Route as if the
proxy had record-routed; the UAC sends ACK and BYE to the Contact with the Route set (SIPp's
[routes] / [next_url]) through the proxy, which must pop its own Route and deliver them:
  - Record-Route <sip:PROXY;lr>                  -> ACK/BYE reach the Contact, no Route left;
  - Record-Route <sip:UAS;lr>, <sip:PROXY;lr>   -> Contact is port 9 (nothing there): ACK/BYE
    must follow the remaining Route to the UAS and keep exactly that Route;
  - the same with the proxy named by its alias= ("localhost").
Python peers check the bytes: a Route line naming the proxy is removed whole, one value of a
comma list is removed and the rest kept, a strict router's Request-URI (the proxy) is replaced
by the last Route, a strict next hop gets the Request-URI and the old one becomes the last Route.
A request that would route back to the proxy itself is answered 482; host-name next hops work.
"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from sip_helpers import SipTestCase, hp, recv, request, send_recv, sipp_main, slow, status_of  # noqa: E402

CALLS = 20
RATE = 20


class LooseRouteSippTest(SipTestCase):

    def test_rr_proxy_only(self):
        self.start_proxy(children=2)
        self.run_calls(CALLS, RATE, rr="<sip:{proxy};lr>")
        self.assert_no_warnings()
        self.assert_proxy_clean_stop()

    def test_rr_proxy_then_uas_contact_unreachable(self):
        self.start_proxy(children=2)
        self.run_calls(CALLS, RATE, rr="<sip:{uas};lr>, <sip:{proxy};lr>", contact="sip:uas@127.0.0.1:9",
                       route_re="^ *<sip:{uas};lr>$")
        self.assert_no_warnings()
        self.assert_proxy_clean_stop()

    def test_rr_alias(self):
        self.start_proxy(children=1, extra='alias="localhost"')
        port = self.proxy_port
        self.run_calls(CALLS, RATE, rr="<sip:{uas};lr>, <sip:localhost:%d;lr>" % port,
                       contact="sip:uas@127.0.0.1:9", route_re="^ *<sip:{uas};lr>$")
        self.assert_no_warnings()
        self.assert_proxy_clean_stop()


PROXY_VIA_RE = rb"Via: SIP/2\.0/UDP 127\.0\.0\.1:%d;branch=z9hG4bK[0-9a-f]{32}\r\n"


class LooseRouteBytesTest(SipTestCase):
    """Exact bytes: the request as sent with these edits only: our Via line first, Max-Forwards
    70 -> 69, and the Route / Request-URI changes each case names."""

    def setUp(self):
        super().setUp()
        self.start_proxy(children=1)
        self.uac = self.socket()
        self.uas = self.socket()
        self.me = hp("127.0.0.1", self.uac.getsockname()[1])
        self.far = hp("127.0.0.1", self.uas.getsockname()[1])
        self.px = hp("127.0.0.1", self.proxy_port)

    def msg(self, ruri, routes):
        head = "BYE %s SIP/2.0\r\n" % ruri
        rest = ("Via: SIP/2.0/UDP %s;branch=z9hG4bK-lr1\r\n"
                "%s"
                "Max-Forwards: {MF}\r\n"
                "From: <sip:a@%s>;tag=1\r\n"
                "To: <sip:b@%s>;tag=2\r\n"
                "Call-ID: lr-%d\r\n"
                "CSeq: 2 BYE\r\n"
                "Content-Length: 0\r\n\r\n") % (self.me, routes, self.me, self.far, self.proxy_port)
        return head, rest

    def roundtrip(self, ruri, routes, exp_ruri, exp_routes):
        head, rest = self.msg(ruri, routes)
        sent = (head + rest.replace("{MF}", "70")).encode()
        self.uac.sendto(sent, ("127.0.0.1", self.proxy_port))
        got, _ = recv(self.uas, 3 * slow())
        self.assertIsNotNone(got, "not delivered:\n%s\nlog:\n%s" % (sent.decode(), self.d.log_text()))
        m = re.match(rb"[^\r\n]*\r\n(" + PROXY_VIA_RE % self.proxy_port + rb")", got)
        self.assertIsNotNone(m, got)
        exp_head, exp_rest = self.msg(exp_ruri, exp_routes)
        expected = (exp_head.encode() + m.group(1) + exp_rest.replace("{MF}", "69").encode())
        self.assertEqual(got.decode("latin-1"), expected.decode("latin-1"))

    def test_own_route_line_removed(self):
        self.roundtrip("sip:b@%s" % self.far, "Route: <sip:%s;lr>\r\n" % self.px,
                       "sip:b@%s" % self.far, "")

    def test_own_route_lines_removed_next_kept(self):
        # Two Route lines naming us (we record-routed twice), then a foreign loose router.
        self.roundtrip("sip:b@127.0.0.1:9",
                       "Route: <sip:%s;lr>\r\nroute:<sip:%s;lr;foo=bar>\r\nRoute: <sip:%s;lr>\r\n" % (
                           self.px, self.px, self.far),
                       "sip:b@127.0.0.1:9", "Route: <sip:%s;lr>\r\n" % self.far)

    def test_own_value_removed_from_list(self):
        self.roundtrip("sip:b@127.0.0.1:9",
                       "Route: <sip:%s;lr>,  <sip:%s;lr>;x=1 , <sip:10.0.0.9:5099;lr>\r\n" % (self.px, self.far),
                       "sip:b@127.0.0.1:9", "Route: <sip:%s;lr>;x=1 , <sip:10.0.0.9:5099;lr>\r\n" % self.far)

    def test_strict_router_ruri(self):
        # A strict router before us put our URI into the Request-URI; the target is the last Route.
        self.roundtrip("sip:%s" % self.px, "Route: <sip:b@%s>\r\n" % self.far, "sip:b@%s" % self.far, "")

    def test_strict_next_hop(self):
        # The next hop is a strict router (no lr): it gets the Request-URI, the old one goes last.
        self.roundtrip("sip:b@10.0.0.1", "Route: <sip:%s;lr>, <sip:%s>\r\n" % (self.px, self.far),
                       "sip:%s" % self.far, "Route: <sip:b@10.0.0.1>\r\n")


class NextHopTest(SipTestCase):

    def test_hostname_next_hop(self):
        # README: next hops that are host names are resolved (getaddrinfo; "localhost" needs no
        # DNS): by Request-URI and by Route.
        port = self.start_proxy(children=1)
        c, uas = self.socket(), self.socket()
        me = hp("127.0.0.1", c.getsockname()[1])
        s = uas.getsockname()[1]
        for i, (ruri, extra) in enumerate((("sip:bob@localhost:%d" % s, ()),
                                           ("sip:bob@127.0.0.1:9", ("Route: <sip:localhost:%d;lr>" % s,)))):
            c.sendto(request("MESSAGE", ruri, me, me, "host-%d" % i, extra=extra, via_params=""), ("127.0.0.1", port))
            got, _ = recv(uas, 3 * slow())
            self.assertIsNotNone(got, "%s %s: not forwarded; log:\n%s" % (ruri, extra, self.d.log_text()))
            self.assertTrue(got.startswith(b"MESSAGE %s SIP/2.0\r\n" % ruri.encode()), got)
        self.assert_proxy_clean_stop()

    def test_request_to_self_is_482(self):
        # No Route and a Request-URI naming the proxy (by address or alias): forward() would
        # send it to itself; it answers 482 instead (README, Pipeline::forward).
        port = self.start_proxy(children=1, extra='alias="localhost"')
        c = self.socket()
        me = hp("127.0.0.1", c.getsockname()[1])
        for i, ruri in enumerate(("sip:bob@127.0.0.1:%d" % port, "sip:bob@localhost:%d" % port)):
            r, _ = send_recv(c, request("INVITE", ruri, me, me, "loop-%d" % i, via_params=""), ("127.0.0.1", port),
                             timeout=3 * slow())
            self.assertEqual(status_of(r), 482, "%s: %r" % (ruri, r))
        self.assert_proxy_clean_stop()


if __name__ == "__main__":
    sipp_main()
