#!/usr/bin/env python3
"""testmod's script functions called from the route script: return values (true, false,
stop), fixups and their fixed args, route masks, and the message API (read, header
add/remove, body replace, AVPs, flags) seen by the next hop of a forwarded request and in
onreply_route. Skipped while the script engine is not there (Host I only logs SIP)."""

import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "helpers"))

from sipnat_test import (SipnatTestCase, expect_silence, main, module_dir, recv,  # noqa: E402
                         run_sipnatd, sip_headers, sip_request, testmod_config, udp_client)

# testmod.c's kBody.
TESTMOD_BODY = b"v=0\r\no=testmod 1 1 IN IP4 127.0.0.1\r\ns=-\r\n"

ROUTES = """
route {
    tm_dump();
    if (is_method("INFO")) {
        tm_stop();
        sl_send_reply(500, "tm_stop did not stop");
        exit;
    }
    if (!tm_true()) { sl_send_reply(500, "tm_true was false"); exit; }
    if (tm_false()) { sl_send_reply(500, "tm_false was true"); exit; }
    tm_args("a", "b", "c", "d", "e", "f");
    tm_args("solo");
    tm_request_only();
    tm_edit();
    if (!isflag(8)) { sl_send_reply(500, "flag 8 not set"); exit; }
    if (isflag(7)) { sl_send_reply(500, "flag 7 still set"); exit; }
    xlog("L_INFO", "script sees avp=$avp(testmod)\n");
    if (is_method("OPTIONS")) { sl_send_reply(200, "Edited"); exit; }
    forward("127.0.0.1:%(next)d");
}
onreply_route {
    tm_dump();
}
"""


def script_engine_present():
    lines = ["listen=udp:127.0.0.1:5060", "route {", "  sipnat_test_no_such_function();", "}"]
    rc, _, _, _ = run_sipnatd(["-c", "-f", "{cfg}"], config="\n".join(lines) + "\n")
    return rc != 0


class ModuleFunctionsTest(SipnatTestCase):

    def setUp(self):
        if not script_engine_present():
            self.skipTest("the route script engine is not there yet")

    def test_functions_in_routes(self):
        nexthop = udp_client()  # the next hop the proxy forwards MESSAGE to
        self.addCleanup(nexthop.close)
        next_port = nexthop.getsockname()[1]
        d, ports = self.start(lambda p: testmod_config([("127.0.0.1", p[0])], children=1,
                                                       extra=ROUTES % {"next": next_port}))
        proxy = ("127.0.0.1", ports[0])
        # Fixups ran once per call site at start, with the literal args.
        self.assertEqual(d.count(r"^testmod: tm_args fixup argc=6$"), 1, d.log_text())
        self.assertEqual(d.count(r"^testmod: tm_args fixup argc=1$"), 1, d.log_text())

        with udp_client() as c:
            cport = c.getsockname()[1]
            # tm_stop() returns 0: the script stops, nothing is sent. The OPTIONS after it
            # reaches the same worker, so its answer would come second.
            c.sendto(sip_request("INFO", "127.0.0.1", proxy[1], "127.0.0.1", cport, call_id="stop-1"), proxy)
            c.sendto(sip_request("OPTIONS", "127.0.0.1", proxy[1], "127.0.0.1", cport, call_id="opt-1",
                                 headers=["X-Remove-Me: 1", "X-Remove-Me: 2"]), proxy)
            data, src = recv(c)
            self.assertIsNotNone(data, d.log_text())
            self.assertEqual(src, proxy)
            self.assertTrue(data.startswith(b"SIP/2.0 200 Edited\r\n"), data)
            self.assert_logged(d, r"^testmod: tm_stop$", timeout=0)
            self.assert_logged(d, r"^testmod: tm_args\(a,b,c,d,e,f\)$", timeout=0)
            self.assert_logged(d, r"^testmod: tm_args\(solo\)$", timeout=0)
            self.assert_logged(d, r"^testmod: tm_request_only is_request=1$", timeout=0)
            self.assert_logged(d, r"^testmod: tm_edit ok removed=2$", timeout=0)
            self.assert_logged(d, r"^script sees avp=value1$", timeout=0)
            m = self.assert_logged(
                d, r"^testmod: dump request=1 method=OPTIONS status=0 ruri=sip:127\.0\.0\.1:%d src=127\.0\.0\.1:%d "
                   r"family=2 srclen=16 proto=1 sock=127\.0\.0\.1:%d call-id=opt-1 raw=(\d+) body=0$"
                   % (proxy[1], cport, proxy[1]), timeout=0)
            self.assertGreater(int(m.group(1)), 100)

            # A request forwarded to the next hop carries the module's edits.
            body = b"hello"
            c.sendto(sip_request("MESSAGE", "127.0.0.1", proxy[1], "127.0.0.1", cport, call_id="msg-1",
                                 headers=["X-Remove-Me: gone"], body=body), proxy)
            fwd, fsrc = recv(nexthop)
            self.assertIsNotNone(fwd, d.log_text())
            self.assertEqual(fsrc, proxy)
            start, hdrs, fbody = sip_headers(fwd)
            names = [h[0].lower() for h in hdrs]
            self.assertEqual(start, "MESSAGE sip:127.0.0.1:%d SIP/2.0" % proxy[1])
            self.assertIn(("X-Testmod", "1"), hdrs)
            self.assertNotIn("x-remove-me", names)
            self.assertEqual(fbody, TESTMOD_BODY)
            self.assertIn(("Content-Length", str(len(TESTMOD_BODY))), hdrs)
            self.assertEqual(names.count("via"), 2, hdrs)
            self.assert_logged(d, r"^testmod: dump request=1 method=MESSAGE .* call-id=msg-1 raw=\d+ body=%d$"
                               % len(body), timeout=0)

            # The next hop answers: onreply_route sees the reply, then it goes back to the client.
            vias = [v for n, v in hdrs if n.lower() == "via"]
            reply = ("SIP/2.0 202 Accepted\r\n" + "".join("Via: %s\r\n" % v for v in vias) +
                     "".join("%s: %s\r\n" % (n, v) for n, v in hdrs
                             if n.lower() in ("from", "to", "call-id", "cseq")) +
                     "Content-Length: 0\r\n\r\n").encode()
            nexthop.sendto(reply, proxy)
            back, bsrc = recv(c)
            self.assertIsNotNone(back, d.log_text())
            self.assertTrue(back.startswith(b"SIP/2.0 202 Accepted\r\n"), back)
            self.assert_logged(d, r"^testmod: dump request=0 method=MESSAGE status=202 ruri= .* call-id=msg-1 ")
            self.assertTrue(expect_silence(c, 0.2))
        self.assert_not_logged(d, r"tm_edit FAILED")
        self.assert_clean_stop(d)

    def check_error(self, route_lines, needle, message):
        lines = ["listen=udp:127.0.0.1:5060", 'mpath="%s"' % module_dir(), 'loadmodule "testmod.so"'] + route_lines
        line_no = next(i for i, l in enumerate(lines) if needle in l) + 1
        col = lines[line_no - 1].index(needle) + 1
        rc, _, err, path = run_sipnatd(["-c", "-f", "{cfg}"], config="\n".join(lines) + "\n")
        self.assertEqual(rc, 1, err)
        self.assertRegex(err, r"ERROR \[\w+\] %s:%d:%d: %s" % (re.escape(path), line_no, col, message))

    def test_route_mask_refused(self):
        self.check_error(["onreply_route {", "    tm_request_only();", "}"], "tm_request_only",
                         r"function 'tm_request_only' cannot be used in onreply_route")

    def test_fixup_rejects_first_arg(self):
        self.check_error(["route {", '    tm_args("bad", "x");', "}"], "tm_args",
                         r"function 'tm_args': first argument must not be \"bad\"")

    def test_arg_counts(self):
        self.check_error(["route {", "    tm_args();", "}"], "tm_args", r"function 'tm_args' ")
        self.check_error(["route {", '    tm_true("x");', "}"], "tm_true", r"function 'tm_true' ")


if __name__ == "__main__":
    main()
