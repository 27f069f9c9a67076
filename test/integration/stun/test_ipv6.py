#!/usr/bin/env python3
"""The stun module over IPv6: listener [::1], primary ::1, alternate ::2.

A set needs an alternate IP of the primary's family, and Linux puts only ::1 on the loopback
interface, so this file runs itself in a private network namespace (`unshare --net`, or
`unshare --net --user --map-root-user` when not root) whose own loopback gets ::2 (and ::3 for a
second client address) next to ::1 and 127/8. Nothing outside the namespace sees those addresses
or these sockets. When no namespace can be made (no unshare, no `ip`, not permitted), the file
says so on stderr and exits 77 (skipped). SIPNAT_STUN_NO_NETNS=1 forces that skip.

In the namespace: the attribute tests of test_attributes.py and the coturn client tests of
test_clients.py (the Debian client is IPv4-only) run with ::1 / ::2, children=1 and 2, plus SIP
OPTIONS over ::1 next to STUN."""

import os
import shutil
import socket
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from stuntest import SKIP, main  # noqa: E402
import test_attributes  # noqa: E402
import test_clients  # noqa: E402

NETNS_MARK = "SIPNAT_STUN_IN_NETNS"
V6 = dict(ip1="::1", ip2="::2", client_ip="::1", client_ip2="::3")


def bindable(ip):
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
            s.bind((ip, 0))
        return True
    except OSError:
        return False


def skip(why):
    sys.stderr.write("SKIP test_ipv6: %s\n" % why)
    sys.stdout.write("SKIP test_ipv6: %s\n" % why)
    sys.exit(SKIP)


def setup_namespace():
    """Inside the new namespace: loopback up, ::2 and ::3 on it."""
    ip = shutil.which("ip") or "/usr/sbin/ip"
    cmds = [[ip, "link", "set", "lo", "up"],
            [ip, "-6", "addr", "add", "::2/128", "dev", "lo", "nodad"],
            [ip, "-6", "addr", "add", "::3/128", "dev", "lo", "nodad"]]
    for c in cmds:
        r = subprocess.run(c, capture_output=True, timeout=10)
        if r.returncode != 0:
            skip("in the network namespace, %s failed: %s" % (" ".join(c), r.stderr.decode().strip()))


def enter_namespace():
    """Re-runs this file (same arguments) in a new network namespace; exits with its status."""
    if os.environ.get("SIPNAT_STUN_NO_NETNS") == "1":
        skip("SIPNAT_STUN_NO_NETNS=1")
    unshare = shutil.which("unshare")
    if not unshare:
        skip("no `unshare` (util-linux): cannot make a private loopback with ::2")
    if not (shutil.which("ip") or os.path.exists("/usr/sbin/ip")):
        skip("no `ip` (iproute2): cannot add ::2 to a private loopback")
    env = dict(os.environ, **{NETNS_MARK: "1"})
    argv = [sys.executable, os.path.abspath(__file__)] + sys.argv[1:]
    last = ""
    for opts in (["--net"], ["--net", "--user", "--map-root-user"]):
        probe = subprocess.run([unshare] + opts + ["true"], capture_output=True, timeout=10)
        if probe.returncode != 0:
            last = probe.stderr.decode().strip()
            continue
        sys.stdout.flush()
        sys.stderr.flush()
        sys.exit(subprocess.run([unshare] + opts + argv, env=env).returncode)
    skip("unshare --net is not permitted here (%s)" % last)


class V6Attributes(test_attributes.AttributeTests):
    children = 1
    ip1, ip2, client_ip, client_ip2 = V6["ip1"], V6["ip2"], V6["client_ip"], V6["client_ip2"]


class V6AttributesTwoWorkers(V6Attributes):
    children = 2


class V6Advertised(test_attributes.AdvertisedTests):
    ip1, ip2, client_ip, client_ip2 = V6["ip1"], V6["ip2"], V6["client_ip"], V6["client_ip2"]
    ADV1, ADV2 = "2001:db8::1", "2001:db8:2::2"


class V6Clients(test_clients.Clients):
    children = 1
    ip1, ip2, client_ip, client_ip2 = V6["ip1"], V6["ip2"], V6["client_ip"], V6["client_ip2"]


class V6ClientsTwoWorkers(V6Clients):
    children = 2


if __name__ == "__main__":
    if not socket.has_ipv6:
        skip("Python has no IPv6")
    if os.environ.get(NETNS_MARK) == "1":
        setup_namespace()
        if not bindable("::1"):
            skip("::1 is not usable in the network namespace (IPv6 disabled?)")
    elif not bindable("::1"):
        skip("::1 is not usable (IPv6 disabled?)")
    elif not (bindable("::2") and bindable("::3")):
        enter_namespace()
    main()
