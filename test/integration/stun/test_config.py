#!/usr/bin/env python3
"""Bad stun module configs stop sipnatd with exit status 1 and an error naming the parameter.

Two kinds (modules/stun/README.md, "Errors at start-up"):
- value errors, found when the modparam is delivered: an unparsable "a / b", a port out of range,
  a bad response_address / use_listeners_as_primary. `sipnatd -c` already exits 1, with the
  config position (file:line:col).
- set errors, found by the module's init (they need the listeners): a missing alternate_ip or
  primary_ip, a primary that is not a `listen=` UDP socket, an alternate equal to the primary, an
  alternate of the other family. Starting exits 1. (`-c` does not run module init and prints
  "config file ok" for these: noted, not asserted.)

The README also promises "the config line" for these start-up errors; test_set_errors_name_the_
config_line checks that promise separately from the exit status and the parameter name."""

import re
import subprocess

from stuntest import SipnatTestCase, lease_port, loopback_block, main, stun_config  # noqa: F401
from sipnat_test import SANITIZER_RE, run_sipnatd

ERROR_RE = re.compile(r"^\d\d:\d\d:\d\d\.\d\d\d ERROR \[(\w+)\] (.*)$")


class ConfigErrors(SipnatTestCase):

    def setUp(self):
        base = loopback_block()
        self.ip1, self.ip2 = base + "1", base + "2"
        self.lease1 = lease_port(self.ip1)
        self.lease2 = lease_port(self.ip2, avoid=[self.lease1.port])
        self.lease3 = lease_port(self.ip1, avoid=[self.lease1.port, self.lease2.port])
        for l in (self.lease1, self.lease2, self.lease3):
            self.addCleanup(l.release)
        self.p1, self.p2, self.p3 = self.lease1.port, self.lease2.port, self.lease3.port

    def config(self, **kw):
        args = dict(listens=[(self.ip1, self.p1)], primary_ip=self.ip1, alternate_ip=self.ip2,
                    primary_port=str(self.p1), alternate_port=str(self.p2), log_level=3)
        args.update(kw)
        return stun_config(**args)

    def errors(self, err):
        return [m.group(2) for m in (ERROR_RE.match(l) for l in err.splitlines()) if m]

    def run_check(self, cfg):
        return run_sipnatd(["-c", "-f", "{cfg}"], config=cfg, timeout=30)

    def run_start(self, cfg):
        """Starts sipnatd in the foreground; a bad config must make it exit by itself."""
        try:
            return run_sipnatd(["-f", "{cfg}"], config=cfg, timeout=30)
        except subprocess.TimeoutExpired:
            self.fail("sipnatd kept running with a bad config:\n" + cfg)

    def assert_value_error(self, param, value, *, want=None):
        """modparam(param, value) is refused at delivery: -c and start both exit 1 with one error
        `file:line:col: module 'stun' rejected parameter 'param': param: ...`."""
        cfg = self.config(**{param: value})
        line_no = next(i for i, l in enumerate(cfg.splitlines(), 1) if '"%s"' % param in l)
        for how, run in (("-c", self.run_check), ("start", self.run_start)):
            rc, out, err, path = run(cfg)
            errs = self.errors(err)
            self.assertEqual(rc, 1, "%s: exit %r for %s=%r\n%s" % (how, rc, param, value, err))
            self.assertEqual(len(errs), 1, err)
            self.assertRegex(errs[0], r"^%s:%d:\d+: module 'stun' rejected parameter '%s': %s: " %
                             (re.escape(path), line_no, param, param))
            if want:
                self.assertRegex(errs[0], want)
            self.assertNotIn("config file ok", err)
            self.assertEqual([l for l in err.splitlines() if SANITIZER_RE.search(l)], [], err)

    def assert_set_error(self, cfg, param, want=None):
        """The module's init refuses the set: starting exits 1 with an error naming `param`."""
        rc, out, err, path = self.run_start(cfg)
        errs = self.errors(err)
        self.assertEqual(rc, 1, "exit %r\n%s" % (rc, err))
        self.assertTrue(errs, err)
        self.assertIn("module 'stun' failed to initialise", err)
        if want:
            self.assertRegex(err, want)
        self.assertEqual([l for l in err.splitlines() if SANITIZER_RE.search(l)], [], err)
        if param:
            self.assertRegex(" ".join(errs), r"\b%s\b" % param, "the error does not name the parameter %s:\n%s" %
                             (param, err))
        return err, path

    # --- value errors ---

    def test_unparsable_ip(self):
        for value in ("a / b", "127.0.0.1 / ", " / 127.0.0.1", "127.0.0.1 / 10.0.0.1 / 10.0.0.2", "localhost",
                      "127.0.0.1:5060", "300.1.1.1"):
            for param in ("primary_ip", "alternate_ip"):
                with self.subTest(param=param, value=value):
                    self.assert_value_error(param, value)

    def test_port_out_of_range(self):
        for value in ("0", "65536", "70000", "-1", "abc", "5060 / 0", "5060 / 99999", "5060 5062", ""):
            for param in ("primary_port", "alternate_port"):
                with self.subTest(param=param, value=value):
                    self.assert_value_error(param, value)

    def test_bad_policy_values(self):
        for param, value in (("response_address", "sometimes"), ("use_listeners_as_primary", 2)):
            with self.subTest(param=param):
                cfg = self.config(params=[(param, value)])
                rc, out, err, path = self.run_check(cfg)
                self.assertEqual(rc, 1, err)
                self.assertRegex(err, r"rejected parameter '%s': %s: " % (param, param))

    # --- set errors (module init) ---

    def test_missing_alternate_ip(self):
        self.assert_set_error(self.config(alternate_ip=None), "alternate_ip")

    def test_missing_primary_ip(self):
        self.assert_set_error(self.config(primary_ip=None), "primary_ip")

    def test_primary_not_a_listener(self):
        # the right IP but another port, then another IP with the right port (which parameter the
        # message names is checked in ConfigErrorMessages)
        for kw in (dict(primary_port=str(self.p3)), dict(primary_ip=self.ip1.rsplit(".", 1)[0] + ".9")):
            with self.subTest(**kw):
                self.assert_set_error(self.config(**kw), None, want=r"not a SIP UDP listener")

    def test_alternate_equal_to_primary(self):
        self.assert_set_error(self.config(alternate_ip=self.ip1), "alternate_ip")
        self.assert_set_error(self.config(alternate_port=str(self.p1)), "alternate_port")

    def test_alternate_of_other_family(self):
        self.assert_set_error(self.config(alternate_ip="::1"), "alternate_ip", want="address famil")

    def test_good_config_checks_ok(self):
        rc, out, err, path = self.run_check(self.config())
        self.assertEqual(rc, 0, err)
        self.assertIn("config file ok", err + out)



class ConfigErrorMessages(ConfigErrors):
    """What the start-up (module init) errors say. README: "A missing alternate_ip, a
    primary_ip:primary_port that is not a listen= UDP socket, ..., or an alternate equal to the
    primary stop sipnatd with an error naming the parameter and the config line." Kept apart from
    ConfigErrors (run as its own meson test) so a wording gap does not hide a behaviour failure."""

    def test_primary_not_a_listener_names_the_parameter(self):
        for kw in (dict(primary_port=str(self.p3)), dict(primary_ip=self.ip1.rsplit(".", 1)[0] + ".9")):
            with self.subTest(**kw):
                self.assert_set_error(self.config(**kw), "primary_(ip|port)", want=r"not a SIP UDP listener")

    def test_set_errors_name_the_config_line(self):
        # README: "... stop sipnatd with an error naming the parameter and the config line."
        for what, kw, param in (("primary not a listener", dict(primary_port=str(self.p3)), "primary_port"),
                                ("alternate equal to primary", dict(alternate_ip=self.ip1), "alternate_ip")):
            cfg = self.config(**kw)
            line_no = next(i for i, l in enumerate(cfg.splitlines(), 1) if '"%s"' % param in l)
            rc, out, err, path = self.run_start(cfg)
            with self.subTest(what):
                self.assertEqual(rc, 1, err)
                self.assertRegex(err, r"%s:%d\b" % (re.escape(path), line_no),
                                 "%s: the error does not name %s's config line %d:\n%s" % (what, param, line_no, err))


def load_tests(loader, tests, pattern):
    """ConfigErrorMessages inherits ConfigErrors' tests: run only its own ones."""
    suite = loader.loadTestsFromTestCase(ConfigErrors)
    for name in loader.getTestCaseNames(ConfigErrorMessages):
        if name in ConfigErrorMessages.__dict__:
            suite.addTest(ConfigErrorMessages(name))
    return suite


if __name__ == "__main__":
    main()
