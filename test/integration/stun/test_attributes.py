#!/usr/bin/env python3
"""The stun module's answers, attribute by attribute, checked by an independent Python client
(stunmsg.py): RFC 3489 and RFC 5389 answer shapes, CHANGE-REQUEST from every socket of the set
(the answer's real source, RESPONSE-ORIGIN / SOURCE-ADDRESS and OTHER-ADDRESS / CHANGED-ADDRESS),
advertised addresses ("ip / advertised"), RESPONSE-PORT, RESPONSE-ADDRESS (default same_ip),
PADDING, FINGERPRINT, 420, 400, what is dropped, and SIP on the same socket.
Run with children=1 and children=2."""

import re
import signal
import struct
import threading
import time

from stuntest import StunTestCase, hostport, loopback_block, main, stun_config  # stuntest sets sys.path
import stunmsg as sm
from sipnat_test import expect_silence, ipv6_usable, recv, sip_options

# server.h: a response is at most this much larger than its request.
MAX_GROWTH = 4 * (4 + 20) + 4 + 128


class Base(StunTestCase):

    # IPv4 by default: a fresh 127.A.B.0/24 (server .1 and .2, clients .7 and .8). The IPv6
    # variants (test_ipv6.py) override these with ::1, ::2, ::1, ::3.
    ip1 = ip2 = client_ip = client_ip2 = None

    def setUp(self):
        self.srv = self.start_stun(ip1=self.ip1, ip2=self.ip2, **self.server_options())
        if self.ip1 is None:
            base = self.srv.ip1.rsplit(".", 1)[0] + "."
            self.client_ip, self.client_ip2 = base + "7", base + "8"

    def server_options(self):
        return {}

    def client(self, ip=None):
        s = sm.bound_socket(ip or self.client_ip)
        self.addCleanup(s.close)
        return s

    def ask(self, sock, data, tid, dest=None, expect_from=None):
        dest = dest or self.srv.primary
        m, src = sm.transact(sock, data, dest, tid)
        self.assertIsNotNone(m, "no answer from %s to %s; log:\n%s" % (dest, data.hex(), self.srv.d.log_text()))
        self.assertLessEqual(len(m.raw), len(data) + MAX_GROWTH, "amplification: %d -> %d bytes" %
                             (len(data), len(m.raw)))
        if expect_from is not None:
            self.assertEqual(src, expect_from, "answer came from the wrong socket\n" + m.describe())
        return m, src

    def me(self, sock):
        return sock.getsockname()[:2]


class AttributeTests(Base):
    children = 1

    # --- answer shapes ---

    def test_rfc3489_answer(self):
        c = self.client()
        req, tid = sm.request(rfc5389=False)
        m, src = self.ask(c, req, tid, expect_from=self.srv.primary)
        self.assertEqual(m.type, sm.BINDING_SUCCESS)
        self.assertFalse(m.rfc5389)
        self.assertEqual(m.raw[4:20], req[4:20], "RFC 3489 transaction id not echoed")
        self.assertEqual(m.types(), [sm.MAPPED_ADDRESS, sm.SOURCE_ADDRESS, sm.CHANGED_ADDRESS,
                                     sm.XOR_MAPPED_ADDRESS_OLD], m.describe())
        self.assertEqual(m.address(sm.MAPPED_ADDRESS), self.me(c))
        self.assertEqual(m.address(sm.SOURCE_ADDRESS), self.srv.sock(0))
        self.assertEqual(m.address(sm.CHANGED_ADDRESS), self.srv.sock(3))
        self.assertEqual(m.address(sm.XOR_MAPPED_ADDRESS_OLD), self.me(c), "0x8020 XOR'ed with header bytes 4..19")

    def test_rfc5389_answer(self):
        c = self.client()
        req, tid = sm.request()
        m, src = self.ask(c, req, tid, expect_from=self.srv.primary)
        self.assertEqual(m.type, sm.BINDING_SUCCESS)
        self.assertTrue(m.rfc5389)
        self.assertEqual(m.types(), [sm.XOR_MAPPED_ADDRESS, sm.MAPPED_ADDRESS, sm.RESPONSE_ORIGIN,
                                     sm.OTHER_ADDRESS, sm.SOFTWARE], m.describe())
        self.assertEqual(m.address(sm.XOR_MAPPED_ADDRESS), self.me(c))
        self.assertEqual(m.address(sm.MAPPED_ADDRESS), self.me(c))
        self.assertEqual(m.address(sm.RESPONSE_ORIGIN), self.srv.sock(0))
        self.assertEqual(m.address(sm.OTHER_ADDRESS), self.srv.sock(3))
        sw = m.get(sm.SOFTWARE)
        self.assertTrue(sw and len(sw) <= 763, sw)
        sw.decode("utf-8")  # RFC 5389 §15.10: UTF-8
        self.assertIsNone(m.get(sm.FINGERPRINT), "FINGERPRINT without being asked")

    def test_fingerprint_when_asked(self):
        c = self.client()
        for modern in (True, False):
            req, tid = sm.request(rfc5389=modern, fingerprint=True)
            m, _ = self.ask(c, req, tid)          # the parser checks the CRC and that it is last
            self.assertEqual(m.type, sm.BINDING_SUCCESS)
            self.assertEqual(m.types()[-1], sm.FINGERPRINT, m.describe())
            self.assertEqual(m.types().count(sm.FINGERPRINT), 1)

    def test_bad_fingerprint_dropped(self):
        c = self.client()
        req, tid = sm.request(fingerprint=True)
        bad = req[:-1] + bytes([req[-1] ^ 0xFF])
        c.sendto(bad, self.srv.primary)
        self.assertTrue(expect_silence(c, 0.5), "answered a request with a wrong FINGERPRINT")
        req, tid = sm.request(attrs=sm.attr(sm.FINGERPRINT, b"\0\0\0\0") + sm.attr(0x8050, b"x"))
        c.sendto(req, self.srv.primary)
        self.assertTrue(expect_silence(c, 0.5), "answered a request whose FINGERPRINT is not last")

    def test_every_socket_answers_basic_binding(self):
        c = self.client()
        for i in range(4):
            req, tid = sm.request()
            m, _ = self.ask(c, req, tid, dest=self.srv.sock(i), expect_from=self.srv.sock(i))
            self.assertEqual(m.address(sm.XOR_MAPPED_ADDRESS), self.me(c))
            self.assertEqual(m.address(sm.RESPONSE_ORIGIN), self.srv.sock(i))
            self.assertEqual(m.address(sm.OTHER_ADDRESS), self.srv.sock(i ^ 3))

    # --- CHANGE-REQUEST ---

    def test_change_request_all_combinations(self):
        c = self.client()
        for arrival in range(4):
            for change_ip in (False, True):
                for change_port in (False, True):
                    bits = (2 if change_ip else 0) | (1 if change_port else 0)
                    want = self.srv.sock(arrival ^ bits)
                    with self.subTest(arrival=arrival, change_ip=change_ip, change_port=change_port):
                        # RFC 5389 + RFC 5780
                        req, tid = sm.request(sm.change_request(change_ip, change_port))
                        m, src = self.ask(c, req, tid, dest=self.srv.sock(arrival), expect_from=want)
                        self.assertEqual(m.type, sm.BINDING_SUCCESS, m.describe())
                        self.assertEqual(m.address(sm.XOR_MAPPED_ADDRESS), self.me(c))
                        self.assertEqual(m.address(sm.RESPONSE_ORIGIN), want)
                        self.assertEqual(m.address(sm.OTHER_ADDRESS), self.srv.sock(arrival ^ 3))
                        # RFC 3489
                        req, tid = sm.request(sm.change_request(change_ip, change_port), rfc5389=False)
                        m, src = self.ask(c, req, tid, dest=self.srv.sock(arrival), expect_from=want)
                        self.assertEqual(m.address(sm.MAPPED_ADDRESS), self.me(c))
                        self.assertEqual(m.address(sm.SOURCE_ADDRESS), want)
                        self.assertEqual(m.address(sm.CHANGED_ADDRESS), self.srv.sock(arrival ^ 3))

    def test_change_request_bad_length_is_400(self):
        c = self.client()
        req, tid = sm.request(sm.attr(sm.CHANGE_REQUEST, b"\0\x04"))
        m, src = self.ask(c, req, tid, expect_from=self.srv.primary)
        self.assertEqual(m.type, sm.BINDING_ERROR, m.describe())
        self.assertEqual(m.error()[0], 400)

    # --- RESPONSE-PORT, RESPONSE-ADDRESS, PADDING ---

    def test_response_port(self):
        c = self.client()
        other = self.client()
        for four in (True, False):
            with self.subTest(four_byte=four):
                req, tid = sm.request(sm.response_port(self.me(other)[1], four_byte=four))
                c.sendto(req, self.srv.primary)
                data, src = recv(other, 3.0)
                self.assertIsNotNone(data, "no answer at the RESPONSE-PORT; log:\n" + self.srv.d.log_text())
                m = sm.parse(data)
                self.assertEqual(m.tid, tid)
                self.assertEqual(m.type, sm.BINDING_SUCCESS, m.describe())
                self.assertEqual(src, self.srv.primary)
                self.assertEqual(m.address(sm.XOR_MAPPED_ADDRESS), self.me(c), "mapped must be the request's source")
                self.assertTrue(expect_silence(c, 0.2), "answered the source as well")

    def test_response_port_with_change_request(self):
        c = self.client()
        other = self.client()
        req, tid = sm.request(sm.response_port(self.me(other)[1]) + sm.change_request(True, True))
        c.sendto(req, self.srv.primary)
        data, src = recv(other, 3.0)
        self.assertIsNotNone(data, self.srv.d.log_text())
        self.assertEqual(src, self.srv.sock(3))
        self.assertEqual(sm.parse(data).address(sm.RESPONSE_ORIGIN), self.srv.sock(3))

    def test_response_port_errors(self):
        c = self.client()
        for what, attrs in (("RESPONSE-PORT 0", sm.response_port(0)),
                            ("RESPONSE-PORT with PADDING", sm.response_port(self.me(c)[1]) + sm.attr(sm.PADDING, b"\0" * 8)),
                            ("RESPONSE-PORT of 3 bytes", sm.attr(sm.RESPONSE_PORT, b"\x12\x34\0"))):
            with self.subTest(what):
                req, tid = sm.request(attrs)
                m, _ = self.ask(c, req, tid, expect_from=self.srv.primary)
                self.assertEqual(m.type, sm.BINDING_ERROR, m.describe())
                self.assertEqual(m.error()[0], 400, m.describe())

    def test_response_address_same_ip_policy(self):
        c = self.client()
        other = self.client()          # same IP, other port: honoured, with REFLECTED-FROM
        req, tid = sm.request(sm.attr(sm.RESPONSE_ADDRESS, sm.address_value(*self.me(other))), rfc5389=False)
        c.sendto(req, self.srv.primary)
        data, src = recv(other, 3.0)
        self.assertIsNotNone(data, self.srv.d.log_text())
        m = sm.parse(data)
        self.assertEqual(m.address(sm.MAPPED_ADDRESS), self.me(c))
        self.assertEqual(m.address(sm.REFLECTED_FROM), self.me(c))
        third = self.client(self.client_ip2)  # another IP: refused with 400 to the source
        req, tid = sm.request(sm.attr(sm.RESPONSE_ADDRESS, sm.address_value(*self.me(third))), rfc5389=False)
        m, _ = self.ask(c, req, tid, expect_from=self.srv.primary)
        self.assertEqual(m.type, sm.BINDING_ERROR, m.describe())
        self.assertEqual(m.error()[0], 400)
        self.assertTrue(expect_silence(third, 0.2), "reflected to another IP under same_ip")

    def test_padding_mirrored(self):
        c = self.client()
        req, tid = sm.request(sm.attr(sm.PADDING, b"\xAA" * 100))
        m, _ = self.ask(c, req, tid)
        self.assertEqual(m.type, sm.BINDING_SUCCESS, m.describe())
        self.assertEqual(len(m.get(sm.PADDING) or b""), 100, m.describe())
        # coturn's 1500-byte PADDING: answered, capped, within one datagram
        req, tid = sm.request(sm.attr(sm.PADDING, b"\0" * 1500))
        m, _ = self.ask(c, req, tid)
        self.assertEqual(m.type, sm.BINDING_SUCCESS, m.describe())

    # --- errors and drops ---

    def test_unknown_comprehension_required_is_420(self):
        c = self.client()
        for modern in (True, False):
            with self.subTest(rfc5389=modern):
                req, tid = sm.request(sm.attr(0x7F01, b"abcd") + sm.attr(0x0030, b"") + sm.attr(0xC001, b"ok"),
                                      rfc5389=modern)
                m, src = self.ask(c, req, tid, expect_from=self.srv.primary)
                self.assertEqual(m.type, sm.BINDING_ERROR, m.describe())
                self.assertEqual(m.error()[0], 420, m.describe())
                self.assertEqual(sorted(set(m.unknown_attributes())), [0x0030, 0x7F01], m.describe())
        # comprehension-optional unknowns are ignored
        req, tid = sm.request(sm.attr(0xC001, b"ok"))
        m, _ = self.ask(c, req, tid)
        self.assertEqual(m.type, sm.BINDING_SUCCESS, m.describe())

    def test_unknown_attributes_list_shape(self):
        # RFC 3489 §11.2.10: an odd count repeats one type (value a multiple of 4);
        # RFC 5389 §15.9: 2 bytes per type, the attribute padded.
        c = self.client()
        for modern, want_len in ((False, 4), (True, 2)):
            with self.subTest(rfc5389=modern):
                req, tid = sm.request(sm.attr(0x7F02, b""), rfc5389=modern)
                m, _ = self.ask(c, req, tid)
                self.assertEqual(m.error()[0], 420, m.describe())
                self.assertEqual(len(m.get(sm.UNKNOWN_ATTRIBUTES)), want_len, m.describe())
                self.assertEqual(set(m.unknown_attributes()), {0x7F02})
                if modern:
                    self.assertIsNotNone(m.get(sm.SOFTWARE), "RFC 5389 error answer without SOFTWARE")

    def test_error_answer_keeps_fingerprint(self):
        c = self.client()
        req, tid = sm.request(sm.attr(0x7F03, b"zz"), fingerprint=True)
        m, _ = self.ask(c, req, tid)     # the parser verifies the CRC
        self.assertEqual(m.error()[0], 420, m.describe())
        self.assertEqual(m.types()[-1], sm.FINGERPRINT, m.describe())

    def test_integrity_ignored_and_what_follows_it(self):
        # USERNAME + MESSAGE-INTEGRITY are recognised and ignored (no credentials); an unknown
        # comprehension-required attribute after MESSAGE-INTEGRITY is ignored (RFC 5389 §15.4);
        # FINGERPRINT after it still counts.
        c = self.client()
        attrs = (sm.attr(sm.USERNAME, b"alice:bob") + sm.attr(sm.MESSAGE_INTEGRITY, b"\x11" * 20) +
                 sm.attr(0x7F04, b"late"))
        req, tid = sm.request(attrs, fingerprint=True)
        m, _ = self.ask(c, req, tid)
        self.assertEqual(m.type, sm.BINDING_SUCCESS, m.describe())
        self.assertIsNone(m.get(sm.MESSAGE_INTEGRITY), m.describe())
        self.assertEqual(m.types()[-1], sm.FINGERPRINT, m.describe())
        self.assertEqual(m.address(sm.XOR_MAPPED_ADDRESS), self.me(c))

    def test_first_change_request_counts(self):
        c = self.client()
        req, tid = sm.request(sm.change_request(True, False) + sm.change_request(False, True))
        m, src = self.ask(c, req, tid, expect_from=self.srv.sock(2))
        self.assertEqual(m.address(sm.RESPONSE_ORIGIN), self.srv.sock(2))

    def test_malformed_is_400(self):
        c = self.client()
        # an attribute whose length runs past the end of the message (the header length is right)
        body = struct.pack("!HH", 0x8050, 40) + b"\0" * 8
        req, tid = sm.request(body)
        m, _ = self.ask(c, req, tid, expect_from=self.srv.primary)
        self.assertEqual(m.type, sm.BINDING_ERROR, m.describe())
        self.assertEqual(m.error()[0], 400, m.describe())
        # a bad MAPPED-style value in RESPONSE-ADDRESS
        req, tid = sm.request(sm.attr(sm.RESPONSE_ADDRESS, b"\0\x07\0\x01"), rfc5389=False)
        m, _ = self.ask(c, req, tid)
        self.assertEqual(m.error()[0], 400, m.describe())

    def test_not_answered(self):
        c = self.client()
        cases = {
            "binding indication": sm.request(msg_type=sm.BINDING_INDICATION)[0],
            "binding success response": sm.request(msg_type=sm.BINDING_SUCCESS)[0],
            "binding error response": sm.request(msg_type=sm.BINDING_ERROR)[0],
            "allocate request": sm.request(msg_type=sm.ALLOCATE_REQUEST)[0],
            "shared secret request": sm.request(msg_type=sm.SHARED_SECRET_REQUEST, rfc5389=False)[0],
            "header length too long": sm.request()[0][:2] + b"\0\x08" + sm.request()[0][4:],
            "header length not /4": struct.pack("!HH", 1, 6) + sm.MAGIC_BYTES + sm.new_tid() + b"\x80\x50\0\x02ab",
            "19 bytes": b"\0\x01" + b"\0" * 17,
        }
        for what, data in cases.items():
            with self.subTest(what):
                c.sendto(data, self.srv.primary)
                self.assertTrue(expect_silence(c, 0.3), "answered a %s" % what)
        req, tid = sm.request()
        self.ask(c, req, tid)  # still serving

    # --- SIP on the same socket ---

    def test_sip_and_stun_share_the_socket(self):
        c = self.client()
        me = self.me(c)
        for i in range(5):
            c.sendto(sip_options(self.srv.ip1, self.srv.port1, me[0], me[1], call_id="stun-share-%d" % i),
                     self.srv.primary)
            data, src = recv(c, 3.0)
            self.assertIsNotNone(data, self.srv.d.log_text())
            self.assertTrue(data.startswith(b"SIP/2.0 200 "), data[:60])
            req, tid = sm.request(rfc5389=bool(i % 2))
            m, _ = self.ask(c, req, tid)
            self.assertEqual(m.type, sm.BINDING_SUCCESS)
        self.assert_stopped_cleanly(self.srv.d)


class AttributeTestsTwoWorkers(AttributeTests):
    children = 2

    def test_stop_under_flood(self):
        """SIGTERM while STUN requests keep arriving: exit 0 within 5 s, no sanitizer report."""
        stop = threading.Event()
        counts = [0, 0]

        def flood():
            socks = [sm.bound_socket(self.client_ip) for _ in range(4)]
            for s in socks:
                s.setblocking(False)
            try:
                while not stop.is_set():
                    for s in socks:
                        req, _ = sm.request(fingerprint=bool(counts[0] % 2))
                        try:
                            s.sendto(req, self.srv.primary)
                            counts[0] += 1
                        except (BlockingIOError, ConnectionRefusedError):
                            pass
                        try:
                            while True:
                                s.recv(2048)
                                counts[1] += 1
                        except (BlockingIOError, ConnectionRefusedError):
                            pass
            finally:
                for s in socks:
                    s.close()

        t = threading.Thread(target=flood, daemon=True)
        t.start()
        self.addCleanup(t.join, 5)
        self.addCleanup(stop.set)
        time.sleep(1.0)
        answered_before = counts[1]
        rc = self.srv.d.stop(signal.SIGTERM)
        stop.set()
        log = self.srv.d.log_text()
        self.assertGreater(answered_before, 100, "the flood was not being answered")
        self.assertEqual(rc, 0, "exit %r under flood; log:\n%s" % (rc, log))
        self.assertLess(self.srv.d.stop_seconds, 5.0, log)
        self.assert_logged(self.srv.d, r"^sipnatd stopped$", timeout=0)
        self.assertEqual(self.srv.d.sanitizer_report(), [], log)


class AdvertisedTests(Base):
    """primary_ip "ip / 198.51.100.1", alternate_ip "ip / 203.0.113.2" and advertised ports: every
    attribute that tells where the server is carries them; MAPPED stays the real source."""

    children = 2
    ADV1, ADV2, APORT1, APORT2 = "198.51.100.1", "203.0.113.2", 15060, 13478

    def server_options(self):
        return dict(primary_adv=self.ADV1, alternate_adv=self.ADV2, port1_adv=self.APORT1, port2_adv=self.APORT2)

    def adv(self, index):
        return (self.ADV2 if index & 2 else self.ADV1, self.APORT2 if index & 1 else self.APORT1)

    def test_advertised_addresses(self):
        c = self.client()
        for arrival in range(4):
            for bits in range(4):
                change = sm.change_request(bool(bits & 2), bool(bits & 1))
                with self.subTest(arrival=arrival, change=bits):
                    req, tid = sm.request(change)
                    m, src = self.ask(c, req, tid, dest=self.srv.sock(arrival),
                                      expect_from=self.srv.sock(arrival ^ bits))
                    self.assertEqual(m.address(sm.XOR_MAPPED_ADDRESS), self.me(c))
                    self.assertEqual(m.address(sm.MAPPED_ADDRESS), self.me(c))
                    self.assertEqual(m.address(sm.RESPONSE_ORIGIN), self.adv(arrival ^ bits))
                    self.assertEqual(m.address(sm.OTHER_ADDRESS), self.adv(arrival ^ 3))
                    req, tid = sm.request(change, rfc5389=False)
                    m, src = self.ask(c, req, tid, dest=self.srv.sock(arrival),
                                      expect_from=self.srv.sock(arrival ^ bits))
                    self.assertEqual(m.address(sm.MAPPED_ADDRESS), self.me(c))
                    self.assertEqual(m.address(sm.XOR_MAPPED_ADDRESS_OLD), self.me(c))
                    self.assertEqual(m.address(sm.SOURCE_ADDRESS), self.adv(arrival ^ bits))
                    self.assertEqual(m.address(sm.CHANGED_ADDRESS), self.adv(arrival ^ 3))

    def test_startup_log_names_advertised(self):
        for i in range(4):
            self.assert_logged(self.srv.d, r"^STUN on udp %s \(advertised %s\)$" %
                               (re.escape(hostport(*self.srv.sock(i))), re.escape(hostport(*self.adv(i)))))


class ResponseAddressPolicies(Base):
    """modparam response_address: off (ignored: the answer goes to the source) and any (honoured
    for another IP of the source's family, with REFLECTED-FROM). same_ip, the default, is in
    AttributeTests."""

    policy = None

    def server_options(self):
        return dict(params=[("response_address", self.policy)])

    def send_with_response_address(self):
        c = self.client()
        third = self.client(self.client_ip2)
        req, tid = sm.request(sm.attr(sm.RESPONSE_ADDRESS, sm.address_value(*self.me(third))), rfc5389=False)
        c.sendto(req, self.srv.primary)
        return c, third, tid


class ResponseAddressOff(ResponseAddressPolicies):
    policy = "off"

    def test_ignored(self):
        c, third, tid = self.send_with_response_address()
        data, src = recv(c, 3.0)
        self.assertIsNotNone(data, self.srv.d.log_text())
        m = sm.parse(data)
        self.assertEqual((m.tid, m.type), (tid, sm.BINDING_SUCCESS), m.describe())
        self.assertIsNone(m.get(sm.REFLECTED_FROM), m.describe())
        self.assertTrue(expect_silence(third, 0.2))


class ResponseAddressAny(ResponseAddressPolicies):
    policy = "any"

    def test_reflected_elsewhere(self):
        c, third, tid = self.send_with_response_address()
        data, src = recv(third, 3.0)
        self.assertIsNotNone(data, "nothing at RESPONSE-ADDRESS; log:\n" + self.srv.d.log_text())
        m = sm.parse(data)
        self.assertEqual(m.tid, tid)
        self.assertEqual(m.address(sm.MAPPED_ADDRESS), self.me(c))
        self.assertEqual(m.address(sm.REFLECTED_FROM), self.me(c))
        self.assertTrue(expect_silence(c, 0.2), "answered the source too")


class ListenerSets(StunTestCase):
    """use_listeners_as_primary 1: each SIP UDP listener of the alternate's family is the primary of
    its own set (sharing the alternate sockets); a listener of the other family is left alone (no
    STUN answer there, SIP still served). With 0, a listener outside the set gets no STUN answer."""

    children = 2

    def setUp(self):
        self.base = loopback_block()
        self.ip1, self.ip2, self.ip3 = self.base + "1", self.base + "2", self.base + "3"
        self.v6 = ipv6_usable()

    def start_sets(self, use_listeners):
        hosts = [self.ip1, self.ip2, self.ip3] + (["::1"] if self.v6 else [])

        def make(ports):
            pa, p2, pb = ports[0], ports[1], ports[2]
            listens = [(self.ip1, pa), (self.ip3, pb)] + ([("::1", ports[3])] if self.v6 else [])
            params = [("use_listeners_as_primary", 1)] if use_listeners else []
            return stun_config(listens, None if use_listeners else self.ip1, self.ip2,
                               None if use_listeners else str(pa), str(p2), children=self.children,
                               params=params)

        d, ports = self.start(make, n_ports=len(hosts), hosts=hosts)
        self.pa, self.p2, self.pb = ports[0], ports[1], ports[2]
        self.pv6 = ports[3] if self.v6 else None
        self.d = d
        return d

    def ask(self, c, dest, change=(False, False), expect_from=None):
        req, tid = sm.request(sm.change_request(*change))
        m, src = sm.transact(c, req, dest, tid)
        self.assertIsNotNone(m, "no answer from %s; log:\n%s" % (dest, self.d.log_text()))
        if expect_from:
            self.assertEqual(src, expect_from, m.describe())
        return m

    def test_each_listener_is_a_primary(self):
        self.start_sets(True)
        c = sm.bound_socket(self.base + "7")
        self.addCleanup(c.close)
        for ip, p in ((self.ip1, self.pa), (self.ip3, self.pb)):
            with self.subTest(primary="%s:%d" % (ip, p)):
                m = self.ask(c, (ip, p), expect_from=(ip, p))
                self.assertEqual(m.address(sm.RESPONSE_ORIGIN), (ip, p))
                self.assertEqual(m.address(sm.OTHER_ADDRESS), (self.ip2, self.p2))
                self.ask(c, (ip, p), (True, False), expect_from=(self.ip2, p))
                self.ask(c, (ip, p), (False, True), expect_from=(ip, self.p2))
                self.ask(c, (ip, p), (True, True), expect_from=(self.ip2, self.p2))
        if self.v6:
            self.assert_logged(self.d, r"^listener .*:%d is not used as a primary$" % self.pv6)
            with sm.bound_socket("::1") as c6:
                req, tid = sm.request()
                c6.sendto(req, ("::1", self.pv6))
                self.assertTrue(expect_silence(c6, 0.5), "STUN answered on an IPv6 listener without a set")
                me = c6.getsockname()[:2]
                c6.sendto(sip_options("::1", self.pv6, me[0], me[1], "v6-side"), ("::1", self.pv6))
                data, _ = recv(c6, 3.0)
                self.assertTrue(data and data.startswith(b"SIP/2.0 200 "), data)

    def test_listener_outside_the_set(self):
        self.start_sets(False)
        c = sm.bound_socket(self.base + "7")
        self.addCleanup(c.close)
        self.ask(c, (self.ip1, self.pa), expect_from=(self.ip1, self.pa))
        req, tid = sm.request()
        c.sendto(req, (self.ip3, self.pb))
        self.assertTrue(expect_silence(c, 0.5), "STUN answered on a listener outside the set")
        me = c.getsockname()[:2]
        c.sendto(sip_options(self.ip3, self.pb, me[0], me[1], "outside"), (self.ip3, self.pb))
        data, src = recv(c, 3.0)
        self.assertTrue(data and data.startswith(b"SIP/2.0 200 "), data)
        self.assertEqual(src, (self.ip3, self.pb))


if __name__ == "__main__":
    main()
