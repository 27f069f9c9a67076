#!/usr/bin/env python3
"""Byte-exact forwarding (README: "Messages are edited as byte patches over the bytes received").

A Python UAC sends requests full of things a re-serialising proxy would change: compact header
names (v f t i m l c k s), folded lines, odd-case names (cAlL-iD), unknown headers and
parameters, escaped characters in the Request-URI, odd spacing, an SDP body. A Python UDP "UAS"
socket receives what the proxy forwards, which must be the sent bytes except for exactly:
  - one new Via line before the old top Via: "Via: SIP/2.0/UDP PROXY;branch=z9hG4bK" + 32 hex;
  - rport=<source port> / ;received=<source IP> on the old top Via where RFC 3581 asks for them;
  - the Max-Forwards digits decremented (or "Max-Forwards: 70" added as the last header).
The expected bytes come from the same template as the sent ones, with those edits written out
here. The UAS then answers with the proxy's Via on top (as a line of its own, or as the first
value of a combined Via line, also with the next value on a continuation line); the UAC must get
that reply minus the proxy's Via value, byte for byte."""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from sip_helpers import SipTestCase, expect_silence, hp, main, recv, slow  # noqa: E402

BRANCH_RE = rb"z9hG4bK[0-9a-f]{32}"

SDP = ("v=0\r\n"
       "o=alice 2890844526 2890844526 IN IP4 192.0.2.10\r\n"
       "s= \r\n"
       "c=IN IP4 192.0.2.10\r\n"
       "t=0 0\r\n"
       "m=audio 49170 RTP/AVP 0 8 97\r\n"
       "a=rtpmap:97 iLBC/8000\r\n")

# Markers: {TOPVIA} where the proxy's Via line goes, {RPORT} after a valueless rport, {RECEIVED}
# at the end of the top via-parm, {RP} an empty rport= value, {RCV} a received= value (sent
# wrong), {MF} the Max-Forwards digits, {MFADD} where "Max-Forwards: 70" is added when the request
# has none. Then {U} UAC port, {S} UAS port, {L} body length.
REQUESTS = {
    # Everything at once: compact forms, a hostname in the top Via (so received is added), rport
    # without value, a second via-parm in the same line, folding, odd case, unknown headers and
    # parameters, escapes in the Request-URI, odd spacing in CSeq, an SDP body.
    "compact-folded-escaped": (
        "INVITE sip:%62ob%40home;x-Odd=Val%41@127.0.0.1:{S};Unknown-Param=Foo%20Bar;x-flag SIP/2.0\r\n"
        "{TOPVIA}v: SIP/2.0/UDP uac.invalid:{U};rport{RPORT};branch=z9hG4bK-exact-1;X-Via-Unknown=1{RECEIVED} ,"
        "SIP/2.0/UDP 10.0.0.1:5070;branch=z9hG4bK-prev\r\n"
        "Max-Forwards:    {MF}\r\n"
        "f: \"Al \\\"ice\\\"\" <sip:alice@uac.invalid>;tag=t1;X-Unknown\r\n"
        "t: <sip:%62ob%40home@example.invalid>\r\n"
        "cAlL-iD: exact-1@uac.invalid\r\n"
        "CSeq: 7  INVITE\r\n"
        "m: <sip:alice@uac.invalid:5062;transport=udp>;expires=60;+sip.instance=\"<urn:uuid:0>\"\r\n"
        "Subject: a folded\r\n"
        "   subject line\r\n"
        "\tand a tab\r\n"
        "X-Unknown-Header: ;;weird,, value ;x=\"q\"\r\n"
        "k: 100rel,  timer\r\n"
        "s: short\r\n"
        "User-Agent: byte-exact/1.0 (test)\r\n"
        "c: application/sdp\r\n"
        "l: {L}\r\n"
        "\r\n" + SDP),
    # No Max-Forwards (added as 70, last), a Via naming the source exactly and no rport: nothing
    # to add to it. Lower-case long names.
    "no-max-forwards": (
        "OPTIONS sip:bob@127.0.0.1:{S};transport=udp SIP/2.0\r\n"
        "{TOPVIA}via: SIP/2.0/UDP 127.0.0.1:{U};branch=z9hG4bK-exact-2{RPORT}{RECEIVED}\r\n"
        "from: <sip:alice@127.0.0.1:{U}>;tag=t2\r\n"
        "to: sip:bob@127.0.0.1\r\n"
        "call-id: exact-2\r\n"
        "cseq: 1 OPTIONS\r\n"
        "accept: application/sdp, text/plain\r\n"
        "content-length: 0\r\n"
        "{MFADD}\r\n"),
    # LWS around the Via's separators and parameters (RFC 3261 §7.3.1 / §25.1), upper-case names.
    "via-lws": (
        "MESSAGE sip:bob@127.0.0.1:{S} SIP/2.0\r\n"
        "{TOPVIA}VIA: SIP / 2.0 / UDP   127.0.0.1:{U} ;branch=z9hG4bK-exact-3 ; rport{RPORT}{RECEIVED}\r\n"
        "MAX-FORWARDS: {MF}\r\n"
        "FROM: <sip:alice@127.0.0.1>;tag=t3\r\n"
        "TO: <sip:bob@127.0.0.1>\r\n"
        "CALL-ID: exact-3\r\n"
        "CSEQ: 1 MESSAGE\r\n"
        "CONTENT-TYPE: text/plain;charset=UTF-8\r\n"
        "CONTENT-LENGTH: {L}\r\n"
        "\r\n"
        "hello \xe9\r\nsecond line"),
    # A wrong received= is corrected, an empty rport= gets its value; Max-Forwards folded; an
    # unknown method; no Content-Length (UDP: the body ends with the datagram, RFC 3261 §18.3).
    "via-received-edge": (
        "FOOBAR sip:bob@127.0.0.1:{S};maddr-x=1 SIP/2.0\r\n"
        "{TOPVIA}Via: SIP/2.0/UDP   uac.invalid:{U};received={RCV};branch=z9hG4bK-exact-4;rport={RP}\r\n"
        "Max-Forwards:\r\n"
        " {MF}\r\n"
        "From: <sip:alice@uac.invalid>;tag=t4\r\n"
        "To: <sip:bob@127.0.0.1>;tag=b4\r\n"
        "Call-ID: exact-4\r\n"
        "CSeq: 2 FOOBAR\r\n"
        "\r\n"
        "opaque body without Content-Length"),
    # A Via folded over three lines: received goes after its last parameter.
    "via-folded": (
        "OPTIONS sip:bob@127.0.0.1:{S} SIP/2.0\r\n"
        "Record-Route: <sip:rr.invalid;lr>\r\n"
        "{TOPVIA}Via: SIP/2.0/UDP uac.invalid:{U}\r\n"
        " ;branch=z9hG4bK-exact-5\r\n"
        "\t;rport{RPORT}{RECEIVED}\r\n"
        "Via: SIP/2.0/UDP 10.1.1.1;branch=z9hG4bK-older\r\n"
        "Max-Forwards: {MF}\r\n"
        "From: <sip:alice@uac.invalid>;tag=t5\r\n"
        "To: <sip:bob@127.0.0.1>\r\n"
        "Call-ID: exact-5\r\n"
        "CSeq: 1 OPTIONS\r\n"
        "Content-Length: 0\r\n"
        "\r\n"),
}


class ByteExactTest(SipTestCase):

    def setUp(self):
        super().setUp()
        self.start_proxy(children=1)
        self.uac = self.socket()
        self.uas = self.socket()
        self.u = self.uac.getsockname()[1]
        self.s = self.uas.getsockname()[1]
        self.dst = ("127.0.0.1", self.proxy_port)

    def fill(self, template, **marks):
        body = template.split("\r\n\r\n", 1)[1] if "\r\n\r\n" in template else ""
        text = template
        for k in ("TOPVIA", "RPORT", "RECEIVED", "MFADD", "RP"):
            text = text.replace("{%s}" % k, marks.get(k, ""))
        text = text.replace("{RCV}", marks.get("RCV", "10.9.9.9"))
        text = (text.replace("{MF}", marks.get("MF", "70")).replace("{U}", str(self.u))
                .replace("{S}", str(self.s)).replace("{L}", str(len(body.encode("latin-1")))))
        return text.encode("latin-1")

    def expected_edits(self, name):
        """The proxy's edits for each request, written out (without its Via line)."""
        recv_ = ";received=127.0.0.1"
        rport = "=%d" % self.u
        return {
            "compact-folded-escaped": dict(RPORT=rport, RECEIVED=recv_, MF="69"),
            "no-max-forwards": dict(MFADD="Max-Forwards: 70\r\n"),
            "via-lws": dict(RPORT=rport, RECEIVED=recv_, MF="69"),
            "via-received-edge": dict(RCV="127.0.0.1", RP=str(self.u), MF="69"),
            "via-folded": dict(RPORT=rport, RECEIVED=recv_, MF="69"),
        }[name]

    def forward(self, name, sent):
        self.uac.sendto(sent, self.dst)
        got, src = recv(self.uas, 3 * slow())
        self.assertIsNotNone(got, "%s not forwarded:\n%r\nlog:\n%s" % (name, sent, self.d.log_text()))
        self.assertEqual(src, self.dst)
        return got

    def check_request(self, name):
        template = REQUESTS[name]
        sent = self.fill(template)
        got = self.forward(name, sent)
        # Our Via goes where {TOPVIA} is; read its branch there, then compare everything.
        at = template.index("{TOPVIA}")
        prefix = self.fill(template[:at])
        via_re = rb"Via: SIP/2\.0/UDP 127\.0\.0\.1:%d;branch=(%s)\r\n" % (self.proxy_port, BRANCH_RE)
        m = re.compile(via_re).match(got, len(prefix))
        self.assertIsNotNone(m, "%s: no proxy Via line at offset %d:\n%s" % (name, len(prefix), got.decode("latin-1")))
        proxy_via = m.group(0).decode()
        expected = self.fill(template, TOPVIA=proxy_via, **self.expected_edits(name))
        self.assertEqual(got.decode("latin-1"), expected.decode("latin-1"), "request %s" % name)
        self.assertEqual(got, expected)
        return sent, got, proxy_via

    def check_reply(self, name, request_got, proxy_via, combine):
        """UAS -> proxy -> UAC: a 200 built from the forwarded request's Via lines; the UAC must
        get it without the proxy's Via value and otherwise unchanged."""
        head, _, _ = request_got.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")[1:]
        # The request's Via lines as the UAS got them: ours first, then the UAC's (one line).
        self.assertEqual(lines[0] + "\r\n", proxy_via)
        uac_via = lines[1]
        self.assertRegex(uac_via, r"^(v|via|VIA):")
        uac_via_name, _, uac_via_value = uac_via.partition(":")
        body = "v=0\r\no=bob 1 1 IN IP4 192.0.2.20\r\ns=-\r\nc=IN IP4 192.0.2.20\r\nt=0 0\r\nm=audio 3456 RTP/AVP 0\r\n"
        rest = ("f: <sip:alice@uac.invalid>;tag=t1\r\n"
                "t: <sip:bob@example.invalid>;tag=uas-1;X-Odd\r\n"
                "cAlL-iD: exact-1@uac.invalid\r\n"
                "CSeq: 7 INVITE\r\n"
                "Record-Route: <sip:rr.invalid;lr;ftag=t1>\r\n"
                "m: <sip:bob@127.0.0.1:%d>\r\n"
                "X-Reply: folded\r\n"
                "  continued\r\n"
                "c: application/sdp\r\n"
                "l: %d\r\n"
                "\r\n%s") % (self.s, len(body), body)
        pv = proxy_via[len("Via: "):-2]
        if combine == "own line":
            reply = "SIP/2.0 200 OK\r\n" + proxy_via + uac_via + "\r\n" + rest
            expect = "SIP/2.0 200 OK\r\n" + uac_via + "\r\n" + rest
        elif combine == "same line":
            reply = "SIP/2.0 200 OK\r\nVia: %s, %s\r\n%s" % (pv, uac_via_value.strip(), rest)
            expect = "SIP/2.0 200 OK\r\nVia: %s\r\n%s" % (uac_via_value.strip(), rest)
        elif combine == "folded":  # the next value on a continuation line
            reply = "SIP/2.0 200 OK\r\nVia: %s,\r\n   %s\r\n%s" % (pv, uac_via_value.strip(), rest)
            expect = "SIP/2.0 200 OK\r\nVia: %s\r\n%s" % (uac_via_value.strip(), rest)
        else:  # compact name, LWS around the comma
            reply = "SIP/2.0 200 OK\r\nv:  %s  ,  %s\r\n%s" % (pv, uac_via_value.strip(), rest)
            expect = "SIP/2.0 200 OK\r\nv:  %s\r\n%s" % (uac_via_value.strip(), rest)
        self.uas.sendto(reply.encode("latin-1"), self.dst)
        got, src = recv(self.uac, 3 * slow())
        self.assertIsNotNone(got, "%s/%s: reply not forwarded; log:\n%s" % (name, combine, self.d.log_text()))
        self.assertEqual(src, self.dst)
        self.assertEqual(got.decode("latin-1"), expect, "reply %s / %s" % (name, combine))
        self.assertEqual(got, expect.encode("latin-1"))

    def test_compact_folded_escaped(self):
        sent, got, via = self.check_request("compact-folded-escaped")
        for combine in ("own line", "same line", "folded", "compact"):
            with self.subTest(combine):
                self.check_reply("compact-folded-escaped", got, via, combine)
        # A retransmission is forwarded identically (same branch: a hash of the request).
        self.assertEqual(self.forward("retransmission", sent), got)
        # Another CSeq: another branch.
        other = self.forward("cseq 8", sent.replace(b"CSeq: 7  INVITE", b"CSeq: 8  INVITE"))
        self.assertNotEqual(re.search(BRANCH_RE, other).group(0), re.search(BRANCH_RE, got).group(0))
        self.assert_proxy_clean_stop()

    def test_cancel_gets_the_invite_branch(self):
        # README: the branch is "the same for a CANCEL as for its INVITE" (RFC 3261 §16.11: a
        # stateless proxy must give the CANCEL the branch the INVITE got).
        me = hp("127.0.0.1", self.u)
        far = hp("127.0.0.1", self.s)
        def msg(method):
            return ("%s sip:bob@%s SIP/2.0\r\nVia: SIP/2.0/UDP %s;branch=z9hG4bK-cancel-me\r\n"
                    "Max-Forwards: 70\r\nFrom: <sip:a@%s>;tag=c1\r\nTo: <sip:bob@%s>\r\n"
                    "Call-ID: cancel-1\r\nCSeq: 5 %s\r\nContent-Length: 0\r\n\r\n"
                    % (method, far, me, me, far, method)).encode()
        inv = self.forward("INVITE", msg("INVITE"))
        can = self.forward("CANCEL", msg("CANCEL"))
        b_inv = re.search(BRANCH_RE, inv).group(0)
        self.assertEqual(re.search(BRANCH_RE, can).group(0), b_inv)
        # And the same once more for a retransmitted CANCEL.
        self.assertEqual(self.forward("CANCEL again", msg("CANCEL")), can)
        self.assert_proxy_clean_stop()

    def test_no_max_forwards(self):
        self.check_request("no-max-forwards")
        self.assert_proxy_clean_stop()

    def test_via_lws(self):
        self.check_request("via-lws")
        self.assert_proxy_clean_stop()

    def test_via_received_edge(self):
        self.check_request("via-received-edge")
        self.assert_proxy_clean_stop()

    def test_via_folded(self):
        self.check_request("via-folded")
        self.assert_proxy_clean_stop()

    def test_bug_htab_as_lws(self):
        """KNOWN BUG: HTAB as LWS in Via and CSeq is answered 400 instead of forwarded.

        RFC 3261 §25.1: LWS = [*WSP CRLF] 1*WSP, WSP = SP / HTAB; so an HTAB may
        separate a Via's sent-protocol from its sent-by (via-parm = sent-protocol LWS sent-by)
        and a CSeq number from its method (CSeq = 1*DIGIT LWS Method). sipnatd's osip syntax
        gate answers these valid requests "400 Malformed request" instead of forwarding them
        (the same places with SP, two SP, or a folded line with an HTAB are accepted)."""
        me = hp("127.0.0.1", self.u)
        far = hp("127.0.0.1", self.s)
        for i, (via_sep, cseq_sep) in enumerate(((" ", "\t"), ("\t", " "))):
            sent = ("INVITE sip:bob@%s SIP/2.0\r\nVia: SIP/2.0/UDP%s%s;branch=z9hG4bK-tab-%d\r\n"
                    "Max-Forwards: 70\r\nFrom: <sip:a@%s>;tag=tab\r\nTo: <sip:bob@%s>\r\nCall-ID: tab-%d\r\n"
                    "CSeq: 1%sINVITE\r\nContent-Length: 0\r\n\r\n" % (far, via_sep, me, i, me, far, i, cseq_sep)).encode()
            self.uac.sendto(sent, self.dst)
            got, _ = recv(self.uas, 2 * slow())
            answer, _ = recv(self.uac, 0.2 * slow())
            with self.subTest("HTAB in " + ("CSeq" if cseq_sep == "\t" else "Via")):
                self.assertIsNotNone(got, "KNOWN BUG: a valid request with HTAB as LWS was not forwarded; the "
                                     "proxy answered %r to:\n%r" % (answer, sent))
                self.assertEqual(got[got.index(b"\r\n", got.index(b"\r\nVia: ") + 2) + 2:],
                                 sent[sent.index(b"Via: "):].replace(b"Max-Forwards: 70", b"Max-Forwards: 69"))
        self.assert_proxy_clean_stop()

    def test_bytes_past_content_length_dropped(self):
        template = REQUESTS["via-lws"]
        sent = self.fill(template) + b"\r\nJUNK after the body"
        got = self.forward("junk", sent)
        self.assertTrue(got.endswith(b"\r\n\r\nhello \xe9\r\nsecond line"), got)
        self.assert_proxy_clean_stop()

    def test_reply_with_only_proxy_via_is_dropped(self):
        _, got, via = self.check_request("no-max-forwards")
        reply = ("SIP/2.0 200 OK\r\n%sFrom: <sip:a@b>;tag=1\r\nTo: <sip:b@c>;tag=2\r\nCall-ID: exact-2\r\n"
                 "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n" % via)
        self.uas.sendto(reply.encode(), self.dst)
        self.assertTrue(expect_silence(self.uac, 0.3 * slow()))
        self.assert_still_answers()
        self.assert_proxy_clean_stop()


if __name__ == "__main__":
    main()
