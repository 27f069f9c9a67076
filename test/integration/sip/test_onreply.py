#!/usr/bin/env python3
"""onreply_route edits replies before they are forwarded:
    onreply_route { remove_hf("X-Rm"); append_hf("X-Seen: yes\\r\\n"); }
SIPp calls (scenarios/uac_onreply.xml against uas_onreply.xml) check every reply the UAC gets:
X-Rm gone in every spelling, one X-Seen as the last header, X-Keep kept, the SDP body intact.
Python peers check `drop` in onreply_route (a 180 dropped, the 200 still forwarded) and that a
reply the script left alone is forwarded byte for byte (minus the proxy's Via)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from sip_helpers import (SipTestCase, expect_silence, hp, recv, reply_to, request, sipp_main, slow,  # noqa: E402
                         status_of)

REWRITE = """\
    remove_hf("X-Rm");
    append_hf("X-Seen: yes\\r\\n");
"""


class OnReplyTest(SipTestCase):

    def test_sipp_rewrite(self):
        port = self.start_proxy(children=2, onreply=REWRITE)
        uac_port, uas_port = self.lease(), self.lease()
        uas = self.sipp_uas("uas_onreply.xml", "127.0.0.1", uas_port, 20)
        uac = self.sipp_uac("uac_onreply.xml", hp("127.0.0.1", uas_port), "127.0.0.1", uac_port, 20, rate=20)
        self.assertEqual(port, self.proxy_port)
        self.assert_sipp_ok(uac, 30 * slow())
        self.assert_sipp_ok(uas, 30 * slow())
        self.assert_no_warnings()
        self.assert_proxy_clean_stop()

    def invite_through(self):
        """Python UAC -> proxy -> Python UAS; returns (uac sock, uas sock, invite as the UAS got it)."""
        uac, uas = self.socket(), self.socket()
        me = hp("127.0.0.1", uac.getsockname()[1])
        req = request("INVITE", "sip:bob@%s" % hp("127.0.0.1", uas.getsockname()[1]), me, me, "onr-1",
                      via_params="")
        uac.sendto(req, ("127.0.0.1", self.proxy_port))
        got, _ = recv(uas, 3 * slow())
        self.assertIsNotNone(got, "INVITE not forwarded; log:\n%s" % self.d.log_text())
        return uac, uas, got

    def test_drop_in_onreply_route(self):
        self.start_proxy(children=1, onreply='    if (status == "180") { drop; }\n')
        uac, uas, inv = self.invite_through()
        for code in (180, 200):
            uas.sendto(reply_to(inv, code, "Ringing" if code == 180 else "OK"), ("127.0.0.1", self.proxy_port))
        data, _ = recv(uac, 3 * slow())
        self.assertEqual(status_of(data), 200, "expected the 200 only (180 dropped), got %r" % data)
        self.assertTrue(expect_silence(uac, 0.3 * slow()))
        self.assert_proxy_clean_stop()

    def test_untouched_reply_is_forwarded_as_is(self):
        self.start_proxy(children=1, onreply='    if ($rs == "999") { drop; }\n')
        uac, uas, inv = self.invite_through()
        proxy_via = inv.split(b"\r\n")[1]
        self.assertTrue(proxy_via.startswith(b"Via: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bK" % self.proxy_port),
                        inv)
        rep = reply_to(inv, 180, "Ringing", extra=("X-Rm: stays", "X-Other: 1"))
        uas.sendto(rep, ("127.0.0.1", self.proxy_port))
        data, _ = recv(uac, 3 * slow())
        self.assertEqual(data, rep.replace(proxy_via + b"\r\n", b"", 1))
        self.assert_proxy_clean_stop()


if __name__ == "__main__":
    sipp_main()
