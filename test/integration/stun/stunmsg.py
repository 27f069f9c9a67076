"""A small, independent STUN codec for the stun module's integration tests (Python 3 stdlib).

Written from RFC 3489, RFC 5389/8489 and RFC 5780, not from sipnat's stun/ library, so the
tests do not share the server's mistakes. Requests are built byte by byte; responses are parsed
strictly (framing, attribute padding, FINGERPRINT) and their address attributes decoded.
"""

import ipaddress
import os
import socket
import struct
import zlib

MAGIC = 0x2112A442
MAGIC_BYTES = struct.pack("!I", MAGIC)

BINDING_REQUEST = 0x0001
BINDING_INDICATION = 0x0011
BINDING_SUCCESS = 0x0101
BINDING_ERROR = 0x0111
ALLOCATE_REQUEST = 0x0003          # TURN (RFC 5766): a STUN method that is not Binding
SHARED_SECRET_REQUEST = 0x0002     # RFC 3489

MAPPED_ADDRESS = 0x0001
RESPONSE_ADDRESS = 0x0002
CHANGE_REQUEST = 0x0003
SOURCE_ADDRESS = 0x0004
CHANGED_ADDRESS = 0x0005
USERNAME = 0x0006
MESSAGE_INTEGRITY = 0x0008
ERROR_CODE = 0x0009
UNKNOWN_ATTRIBUTES = 0x000A
REFLECTED_FROM = 0x000B
XOR_MAPPED_ADDRESS = 0x0020
PADDING = 0x0026
RESPONSE_PORT = 0x0027
XOR_MAPPED_ADDRESS_OLD = 0x8020
SOFTWARE = 0x8022
FINGERPRINT = 0x8028
RESPONSE_ORIGIN = 0x802B
OTHER_ADDRESS = 0x802C

NAMES = {
    MAPPED_ADDRESS: "MAPPED-ADDRESS", RESPONSE_ADDRESS: "RESPONSE-ADDRESS", CHANGE_REQUEST: "CHANGE-REQUEST",
    SOURCE_ADDRESS: "SOURCE-ADDRESS", CHANGED_ADDRESS: "CHANGED-ADDRESS", USERNAME: "USERNAME",
    MESSAGE_INTEGRITY: "MESSAGE-INTEGRITY", ERROR_CODE: "ERROR-CODE", UNKNOWN_ATTRIBUTES: "UNKNOWN-ATTRIBUTES",
    REFLECTED_FROM: "REFLECTED-FROM", XOR_MAPPED_ADDRESS: "XOR-MAPPED-ADDRESS", PADDING: "PADDING",
    RESPONSE_PORT: "RESPONSE-PORT", XOR_MAPPED_ADDRESS_OLD: "XOR-MAPPED-ADDRESS(0x8020)", SOFTWARE: "SOFTWARE",
    FINGERPRINT: "FINGERPRINT", RESPONSE_ORIGIN: "RESPONSE-ORIGIN", OTHER_ADDRESS: "OTHER-ADDRESS",
}

ADDRESS_ATTRS = (MAPPED_ADDRESS, RESPONSE_ADDRESS, SOURCE_ADDRESS, CHANGED_ADDRESS, REFLECTED_FROM,
                 RESPONSE_ORIGIN, OTHER_ADDRESS)
XOR_ATTRS = (XOR_MAPPED_ADDRESS, XOR_MAPPED_ADDRESS_OLD)

FINGERPRINT_XOR = 0x5354554E


def name(t):
    return NAMES.get(t, "0x%04X" % t)


# ---------------------------------------------------------------------------
# Building

def attr(t, value):
    """One TLV, value padded to a multiple of 4 with zero bytes."""
    pad = (-len(value)) % 4
    return struct.pack("!HH", t, len(value)) + value + b"\0" * pad


def change_request(change_ip=False, change_port=False):
    return attr(CHANGE_REQUEST, struct.pack("!I", (4 if change_ip else 0) | (2 if change_port else 0)))


def response_port(port, four_byte=True):
    return attr(RESPONSE_PORT, struct.pack("!H", port) + (b"\0\0" if four_byte else b""))


def address_value(host, port):
    ip = ipaddress.ip_address(host)
    fam = 1 if ip.version == 4 else 2
    return struct.pack("!BBH", 0, fam, port) + ip.packed


def new_tid(rfc5389=True):
    return os.urandom(12 if rfc5389 else 16)


def request(attrs=b"", rfc5389=True, tid=None, fingerprint=False, msg_type=BINDING_REQUEST):
    """A STUN message: header + attrs (bytes, already TLV-encoded) [+ FINGERPRINT].
    rfc5389: magic cookie + 96-bit tid; else a 128-bit RFC 3489 tid (first 4 bytes never
    the cookie). Returns (bytes, tid) where tid is the 12- or 16-byte id."""
    if tid is None:
        tid = new_tid(rfc5389)
        while not rfc5389 and tid[:4] == MAGIC_BYTES:
            tid = new_tid(False)
    head_id = (MAGIC_BYTES + tid) if rfc5389 else tid
    body = attrs
    if fingerprint:
        hdr = struct.pack("!HH", msg_type, len(body) + 8) + head_id
        crc = (zlib.crc32(hdr + body) & 0xFFFFFFFF) ^ FINGERPRINT_XOR
        body += struct.pack("!HHI", FINGERPRINT, 4, crc)
    return struct.pack("!HH", msg_type, len(body)) + head_id + body, tid


# ---------------------------------------------------------------------------
# Parsing

class BadMessage(Exception):
    pass


class Message:
    """A parsed STUN message. attrs: [(type, value bytes)] in wire order."""

    def __init__(self, data):
        if len(data) < 20:
            raise BadMessage("shorter than a header (%d bytes)" % len(data))
        self.raw = data
        self.type, self.length = struct.unpack("!HH", data[:4])
        if self.type & 0xC000:
            raise BadMessage("top bits of the type set")
        if self.length + 20 != len(data):
            raise BadMessage("length %d does not match the datagram (%d bytes)" % (self.length, len(data)))
        if self.length % 4:
            raise BadMessage("length %d not a multiple of 4" % self.length)
        self.cookie = data[4:8]
        self.rfc5389 = self.cookie == MAGIC_BYTES
        self.tid = data[8:20] if self.rfc5389 else data[4:20]
        self.key = data[4:20]           # XOR key (RFC 3489bis XOR on a 3489 id uses these bytes)
        self.attrs = []
        off = 20
        while off < len(data):
            if off + 4 > len(data):
                raise BadMessage("truncated attribute header at %d" % off)
            t, l = struct.unpack("!HH", data[off:off + 4])
            end = off + 4 + l
            padded = off + 4 + l + ((-l) % 4)
            if padded > len(data):
                raise BadMessage("attribute %s overruns the message" % name(t))
            self.attrs.append((t, data[off + 4:end]))
            if t == FINGERPRINT:
                if padded != len(data):
                    raise BadMessage("FINGERPRINT not last")
                if l != 4:
                    raise BadMessage("FINGERPRINT length %d" % l)
                want = (zlib.crc32(data[:off]) & 0xFFFFFFFF) ^ FINGERPRINT_XOR
                if struct.unpack("!I", data[end - 4:end])[0] != want:
                    raise BadMessage("FINGERPRINT wrong")
            off = padded

    def types(self):
        return [t for t, _ in self.attrs]

    def get(self, t):
        for tt, v in self.attrs:
            if tt == t:
                return v
        return None

    def address(self, t):
        """(ip str, port) of an address attribute, plain or XOR, or None when absent."""
        v = self.get(t)
        if v is None:
            return None
        return decode_address(v, self.key if t in XOR_ATTRS else None)

    def error(self):
        """(code, reason) of ERROR-CODE, or None."""
        v = self.get(ERROR_CODE)
        if v is None:
            return None
        if len(v) < 4:
            raise BadMessage("ERROR-CODE too short")
        return (v[2] & 7) * 100 + v[3], v[4:].decode("utf-8", "replace")

    def unknown_attributes(self):
        v = self.get(UNKNOWN_ATTRIBUTES)
        if v is None:
            return None
        return [struct.unpack("!H", v[i:i + 2])[0] for i in range(0, len(v) - 1, 2)]

    def describe(self):
        out = ["type=0x%04X len=%d %s" % (self.type, self.length, "rfc5389" if self.rfc5389 else "rfc3489")]
        for t, v in self.attrs:
            if t in ADDRESS_ATTRS or t in XOR_ATTRS:
                try:
                    out.append("  %s %s" % (name(t), self.address(t)))
                except BadMessage as e:
                    out.append("  %s bad (%s)" % (name(t), e))
            elif t == SOFTWARE:
                out.append("  SOFTWARE %r" % v)
            else:
                out.append("  %s len=%d %s" % (name(t), len(v), v[:16].hex()))
        return "\n".join(out)


def decode_address(v, key=None):
    if len(v) < 4:
        raise BadMessage("address attribute too short")
    fam, port = v[1], struct.unpack("!H", v[2:4])[0]
    if fam == 1:
        n = 4
    elif fam == 2:
        n = 16
    else:
        raise BadMessage("address family %d" % fam)
    if len(v) != 4 + n:
        raise BadMessage("address attribute length %d for family %d" % (len(v), fam))
    raw = v[4:4 + n]
    if key is not None:
        port ^= struct.unpack("!H", key[:2])[0]
        raw = bytes(a ^ b for a, b in zip(raw, key[:n]))
    return str(ipaddress.ip_address(raw)), port


def parse(data):
    return Message(data)


# ---------------------------------------------------------------------------
# Sockets

def family_of(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def bound_socket(host, port=0, timeout=3.0):
    s = socket.socket(family_of(host), socket.SOCK_DGRAM)
    s.bind((host, port))
    s.settimeout(timeout)
    return s


def transact(sock, data, dest, tid, timeout=2.0, retries=2, expect_from=None):
    """Sends `data` to dest and waits for a STUN answer whose transaction id is `tid`
    (other datagrams are ignored). Resends on timeout. Returns (Message, (ip, port)) or
    (None, None)."""
    import time
    for _ in range(retries + 1):
        sock.sendto(data, dest)
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            sock.settimeout(left)
            try:
                raw, src = sock.recvfrom(65536)
            except socket.timeout:
                break
            except ConnectionRefusedError:
                continue
            try:
                m = Message(raw)
            except BadMessage:
                continue
            if m.tid == tid:
                return m, src[:2]
    return None, None
