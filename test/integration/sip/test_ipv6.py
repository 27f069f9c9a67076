#!/usr/bin/env python3
"""IPv6 on ::1: `listen=udp:[::1]:PORT`. SIPp calls (-i ::1, [::1]:port addressing) through the
proxy with children=1 and 2, plus Record-Route loose routing with the proxy written in another
IPv6 spelling; Python peers check the Via the proxy adds ([::1]:PORT), rport/received on the
UAC's Via (none without rport: "[::1]" is the source), the OPTIONS answer, the CRLF keepalive,
and forwarding across families with listeners on both 127.0.0.1 and ::1. Exits 77 (skipped), loudly, when ::1
cannot be used on this machine."""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from sip_helpers import (SipTestCase, header_values, hp, proxy_config, recv, reply_to, request,  # noqa: E402
                         require_ipv6, send_recv, sipp_main, slow, status_of)

V6 = "::1"


class Ipv6Test(SipTestCase):

    def test_calls_children_1(self):
        self.start_proxy(children=1, host=V6)
        self.run_calls(50, 20, host=V6)
        self.assert_no_warnings()
        self.assert_proxy_clean_stop()

    def test_calls_children_2_record_route(self):
        self.start_proxy(children=2, host=V6)
        self.run_calls(30, 20, host=V6)
        # The proxy named as [0:0:0:0:0:0:0:1]:PORT in the Route: still us, still popped.
        port = self.proxy_port
        self.run_calls(20, 20, host=V6, rr="<sip:{uas};lr>, <sip:[0:0:0:0:0:0:0:1]:%d;lr>" % port,
                       contact="sip:uas@[::1]:9", route_re="^ *<sip:{uas};lr>$")
        self.assert_no_warnings()
        self.assert_proxy_clean_stop()

    def test_python_peers(self):
        port = self.start_proxy(children=1, host=V6)
        dst = (V6, port)
        uac, uas = self.socket(V6), self.socket(V6)
        me = hp(V6, uac.getsockname()[1])
        far = hp(V6, uas.getsockname()[1])
        # OPTIONS to the proxy: 200 from [::1]:PORT, rport/received filled in.
        opt = request("OPTIONS", "sip:%s" % hp(*dst), me, me, "v6-opt")
        data, src = send_recv(uac, opt, dst, timeout=3 * slow())
        self.assertEqual(status_of(data), 200, "%r\n%s" % (data, self.d.log_text()))
        self.assertEqual(src, dst)
        self.assertEqual(header_values(data, "Via"),
                         ["SIP/2.0/UDP %s;branch=z9hG4bK-v6-opt-1;rport=%d;received=::1" % (me, uac.getsockname()[1])])
        # Keepalive.
        data, src = send_recv(uac, b"\r\n\r\n", dst, timeout=3 * slow())
        self.assertEqual((data, src), (b"\r\n", dst))
        # INVITE through the proxy: our Via names [::1]:PORT.
        inv = request("INVITE", "sip:bob@%s" % far, me, me, "v6-inv")
        uac.sendto(inv, dst)
        got, src = recv(uas, 3 * slow())
        self.assertIsNotNone(got, self.d.log_text())
        self.assertEqual(src, dst)
        vias = header_values(got, "Via")
        self.assertEqual(len(vias), 2, got)
        self.assertRegex(vias[0], r"^SIP/2\.0/UDP \[::1\]:%d;branch=z9hG4bK[0-9a-f]{32}$" % port)
        self.assertEqual(vias[1], "SIP/2.0/UDP %s;branch=z9hG4bK-v6-inv-1;rport=%d;received=::1"
                         % (me, uac.getsockname()[1]))
        self.assertTrue(got.startswith(b"INVITE sip:bob@%s SIP/2.0\r\n" % far.encode()), got)
        # The 200 goes back by the UAC's Via (received/rport), our Via removed.
        uas.sendto(reply_to(got, 200), dst)
        rep, src = recv(uac, 3 * slow())
        self.assertEqual(status_of(rep), 200, self.d.log_text())
        self.assertEqual(src, dst)
        self.assertEqual(header_values(rep, "Via"), [vias[1]])
        self.assertTrue(re.search(rb"\r\nTo: <sip:bob@[^>]*>;tag=uas-tag\r\n", rep), rep)
        self.assert_proxy_clean_stop()

    def test_no_rport_same_address(self):
        # "[::1]:port" in the Via is the source address spelled with brackets: nothing to add.
        port = self.start_proxy(children=1, host=V6)
        uac, uas = self.socket(V6), self.socket(V6)
        me = hp(V6, uac.getsockname()[1])
        inv = request("INVITE", "sip:bob@%s" % hp(V6, uas.getsockname()[1]), me, me, "v6-norport", via_params="")
        uac.sendto(inv, (V6, port))
        got, _ = recv(uas, 3 * slow())
        self.assertIsNotNone(got, self.d.log_text())
        self.assertEqual(header_values(got, "Via")[1], "SIP/2.0/UDP %s;branch=z9hG4bK-v6-norport-1" % me)
        self.assert_proxy_clean_stop()

    def test_cross_family(self):
        # Listeners on 127.0.0.1 and ::1: a request from IPv4 to an IPv6 target leaves from the
        # ::1 listener with a Via naming it; the reply comes back there and leaves from the IPv4
        # listener to the UAC.
        hosts = ["127.0.0.1", V6]
        self.d, (p4, p6) = self.start(lambda p: proxy_config(list(zip(hosts, p)), children=2), n_ports=2,
                                      hosts=hosts, log_level=3)
        uac, uas = self.socket("127.0.0.1"), self.socket(V6)
        me = hp("127.0.0.1", uac.getsockname()[1])
        inv = request("INVITE", "sip:bob@%s" % hp(V6, uas.getsockname()[1]), me, me, "x-fam", via_params="")
        uac.sendto(inv, ("127.0.0.1", p4))
        got, src = recv(uas, 3 * slow())
        self.assertIsNotNone(got, self.d.log_text())
        self.assertEqual(src, (V6, p6))
        vias = header_values(got, "Via")
        self.assertRegex(vias[0], r"^SIP/2\.0/UDP \[::1\]:%d;branch=z9hG4bK[0-9a-f]{32}$" % p6)
        self.assertEqual(vias[1], "SIP/2.0/UDP %s;branch=z9hG4bK-x-fam-1" % me)
        uas.sendto(reply_to(got, 180, "Ringing"), (V6, p6))
        rep, src = recv(uac, 3 * slow())
        self.assertEqual(status_of(rep), 180, self.d.log_text())
        self.assertEqual(src, ("127.0.0.1", p4))
        self.assertEqual(header_values(rep, "Via"), [vias[1]])
        # And back the other way: IPv6 UAC, IPv4 target.
        inv6 = request("BYE", "sip:alice@%s" % me, hp(V6, uas.getsockname()[1]), hp(V6, uas.getsockname()[1]),
                       "x-fam-2", via_params="")
        uas.sendto(inv6, (V6, p6))
        got, src = recv(uac, 3 * slow())
        self.assertIsNotNone(got, self.d.log_text())
        self.assertEqual(src, ("127.0.0.1", p4))
        self.assertRegex(header_values(got, "Via")[0], r"^SIP/2\.0/UDP 127\.0\.0\.1:%d;branch=" % p4)
        self.assert_no_warnings()
        self.assert_proxy_clean_stop()


if __name__ == "__main__":
    require_ipv6()
    sipp_main()
