#!/usr/bin/env python3
"""The command line: `-c` reports each kind of config error as one
`file:line:col: message` line and exits 1, or prints `FILE: config file ok` and exits 0;
-V, -h/--help, -l, and bad options."""

import os
import re
import socket
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "helpers"))

from sipnat_test import SANITIZER_RE, SipnatTestCase, lease_port, main, module_dir, run_sipnatd  # noqa: E402

ERROR_LINE_RE = re.compile(r"^\d\d:\d\d:\d\d\.\d\d\d ERROR \[core\] (.*)$")


def build_moddirs():
    return os.environ.get("SIPNAT_BUILD_MODDIR", ""), os.environ.get("SIPNAT_INSTALL_MODDIR", "")


class CheckTest(SipnatTestCase):

    def setUp(self):
        self.mod = module_dir()
        self.head = [
            "# sipnat -c test",
            "listen=udp:127.0.0.1:5060",
            'mpath="%s"' % self.mod,
            'loadmodule "testmod.so"',
        ]

    def check_error(self, lines, line_no, needle, message, exact=True, occurrence=0):
        """Runs -c on `lines`; expects exit 1 and exactly one error line
        `PATH:line_no:col: message`, col being where `needle` starts on that line (its
        occurrence-th match). exact=False: `message` is a prefix (a regex)."""
        text = lines[line_no - 1]
        col = -1
        for _ in range(occurrence + 1):
            col = text.index(needle, col + 1)
        col += 1
        rc, out, err, path = run_sipnatd(["-c", "-f", "{cfg}"], config="\n".join(lines) + "\n")
        errors = [m.group(1) for m in (ERROR_LINE_RE.match(l) for l in err.splitlines()) if m]
        self.assertEqual(rc, 1, "exit %d; stderr:\n%s" % (rc, err))
        self.assertEqual(len(errors), 1, err)
        where = "%s:%d:%d: " % (path, line_no, col)
        if exact:
            self.assertEqual(errors[0], where + message)
        else:
            self.assertRegex(errors[0], "^" + re.escape(where) + message)
        self.assertNotIn("config file ok", err)
        self.assertEqual([l for l in err.splitlines() if SANITIZER_RE.search(l)], [], err)
        return errors[0]

    # --- good configs ---

    def test_good_config(self):
        lines = [
            "/* a block comment",
            "   over lines */",
            "log_level=3   # notice",
            "children=2",
            "listen=udp:127.0.0.1:5060",
            "listen=udp:[::1]:5062",
            "listen=udp:127.0.0.2",
            'mpath="%s"' % self.mod,
            "alias=sip.example.com",
            'loadmodule "testmod.so"',
            'modparam("testmod", "int_param", 42)',
            'modparam("testmod", "str_param", "x")',
            "route {",
            "}",
            "onreply_route {",
            "}",
        ]
        rc, out, err, path = run_sipnatd(["-c", "-f", "{cfg}"], config="\n".join(lines) + "\n")
        self.assertEqual(rc, 0, err)
        self.assertIn("%s: config file ok" % path, err.splitlines())
        self.assertNotRegex(err, r"ERROR|WARNING")

    def test_check_does_not_bind(self):
        # -c only checks: a listen port that is in use is no error, and nothing is bound.
        lease = lease_port()
        self.addCleanup(lease.release)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.bind(("127.0.0.1", lease.port))
            rc, _, err, path = run_sipnatd(["-c", "-f", "{cfg}"], config="listen=udp:127.0.0.1:%d\n" % lease.port)
        self.assertEqual(rc, 0, err)
        self.assertEqual(err.strip(), "%s: config file ok" % path)

    def test_missing_config_file(self):
        rc, _, err, path = run_sipnatd(["-c", "-f", "{cfg}"])
        self.assertEqual(rc, 1)
        self.assertRegex(err, r"ERROR \[core\] %s: cannot open: No such file or directory\n" % re.escape(path))

    # --- syntax and globals (the config parser) ---

    def test_syntax_error(self):
        lines = self.head + ['modparam("testmod" "int_param", 1)']
        self.check_error(lines, 5, '"int_param"', "expected ',', found string \"int_param\"")

    def test_syntax_error_unclosed_block(self):
        lines = self.head + ["route {", "  # nothing", ""]
        rc, _, err, path = run_sipnatd(["-c", "-f", "{cfg}"], config="\n".join(lines))
        self.assertEqual(rc, 1, err)
        self.assertRegex(err, r"ERROR \[core\] %s:\d+:\d+: expected .*end of file" % re.escape(path))

    def test_unterminated_comment(self):
        lines = self.head + ["children=1 /* not closed", "listen=udp:127.0.0.1:5070"]
        self.check_error(lines, 5, "/*", "unterminated comment")

    def test_unknown_global(self):
        lines = self.head + ["colour=blue"]
        self.check_error(lines, 5, "colour",
                         "expected a global parameter (listen, children, log_level, mpath, alias), "
                         "found identifier 'colour'")

    def test_bad_listen_address(self):
        lines = self.head + ["listen=udp:1.2.3:5060"]
        self.check_error(lines, 5, "1.2.3", 'expected an IP address, found "1.2.3"')

    def test_bad_listen_ipv6_without_brackets(self):
        lines = self.head + ["listen=udp:::1:5060"]
        self.check_error(lines, 5, "::1", r"expected an IP address", exact=False)

    def test_bad_listen_proto(self):
        lines = self.head + ["listen=tcp:127.0.0.1:5060"]
        self.check_error(lines, 5, "tcp", "expected udp, found 'tcp'")

    def test_bad_listen_port(self):
        lines = self.head + ["listen=udp:127.0.0.1:70000"]
        self.check_error(lines, 5, "70000", "port 70000 out of range (1-65535)")

    def test_bad_listen_port_zero(self):
        lines = self.head + ["listen=udp:[::1]:0"]
        self.check_error(lines, 5, "0", "port 0 out of range (1-65535)", occurrence=0)

    def test_bad_listen_port_text(self):
        lines = self.head + ["listen=udp:127.0.0.1:sip"]
        self.check_error(lines, 5, "sip", 'expected a port number, found "sip"')

    def test_bad_children(self):
        lines = self.head + ["children=0"]
        self.check_error(lines, 5, "0", "children 0 out of range (1-1024)")

    # --- modules (the loader) ---

    def test_missing_module_file(self):
        lines = self.head + ['loadmodule "nosuch.so"']
        bdir, idir = build_moddirs()
        self.check_error(lines, 5, "loadmodule",
                         "module 'nosuch.so' not found (searched mpath \"%s\", %s, %s)" % (self.mod, bdir, idir),
                         exact=bool(bdir and idir))

    def test_missing_module_file_without_mpath(self):
        lines = ["listen=udp:127.0.0.1:5060", 'loadmodule "nosuch.so"']
        bdir, idir = build_moddirs()
        self.check_error(lines, 2, "loadmodule",
                         "module 'nosuch.so' not found (searched mpath (unset), %s, %s)" % (bdir, idir),
                         exact=bool(bdir and idir))

    def test_module_by_absolute_path(self):
        lines = ["listen=udp:127.0.0.1:5060", 'loadmodule "%s/testmod.so"' % self.mod,
                 'modparam("testmod", "int_param", 1)']
        rc, _, err, path = run_sipnatd(["-c", "-f", "{cfg}"], config="\n".join(lines) + "\n")
        self.assertEqual(rc, 0, err)
        self.assertIn("testmod: int_param=1 (delivery #1)", err)

    def test_not_elf(self):
        with tempfile.TemporaryDirectory(prefix="sipnat-test-") as tmp:
            bogus = os.path.join(tmp, "notelf.so")
            with open(bogus, "w") as f:
                f.write("this is not an ELF shared object\n" * 8)
            lines = self.head + ['loadmodule "%s"' % bogus]
            self.check_error(lines, 5, "loadmodule",
                             re.escape("cannot load module '%s': " % bogus) + ".*" + re.escape(bogus), exact=False)

    def test_unresolved_symbol(self):
        lines = self.head + ['loadmodule "unresolved.so"']
        p = "%s/unresolved.so" % self.mod
        self.check_error(lines, 5, "loadmodule",
                         re.escape("cannot load module '%s': " % p) + ".*undefined symbol: sipnat_test_no_such_symbol",
                         exact=False)

    def test_abi_mismatch(self):
        lines = self.head + ['loadmodule "badabi.so"']
        self.check_error(lines, 5, "loadmodule",
                         "module '%s/badabi.so' was built for ABI version 999, this sipnatd has ABI version 1: "
                         "rebuild the module" % self.mod)

    def test_missing_symbol(self):
        lines = self.head + ['loadmodule "nosym.so"']
        self.check_error(lines, 5, "loadmodule",
                         "module '%s/nosym.so' has no 'sipnat_module' symbol: not a sipnat module" % self.mod)

    def test_bad_exports(self):
        cases = [
            ("badexports.so", "function 'f' has bad argument counts or no handler"),
            ("badexports_minmax.so", "function 'f' has bad argument counts or no handler"),
            ("badexports_negmin.so", "function 'f' has bad argument counts or no handler"),
            ("badexports_nohandler.so", "function 'f' has bad argument counts or no handler"),
            ("badexports_paramtype.so", "param 'p' has a bad type or no setter"),
            ("badexports_nosetter.so", "param 'p' has a bad type or no setter"),
            ("badexports_noname.so", "exports no module name"),
        ]
        for so, why in cases:
            with self.subTest(so):
                lines = self.head + ['loadmodule "%s"' % so]
                self.check_error(lines, 5, "loadmodule", "module '%s/%s' %s" % (self.mod, so, why))

    def test_duplicate_module(self):
        lines = self.head + ["", '   loadmodule "testmod.so"']
        self.check_error(lines, 6, "loadmodule",
                         "module 'testmod' is already loaded (from '%s/testmod.so')" % self.mod)

    def test_duplicate_module_name(self):
        # Another file exporting the same module name.
        lines = self.head + ['loadmodule "dupname.so"']
        self.check_error(lines, 5, "loadmodule",
                         "module 'testmod' is already loaded (from '%s/testmod.so')" % self.mod)

    # --- modparam (the loader, reported at the value) ---

    def test_unknown_modparam_module(self):
        lines = self.head + ['modparam("nomod", "x", 1)']
        self.check_error(lines, 5, "1", "modparam for module 'nomod', which is not loaded (loadmodule it first)")

    def test_unknown_modparam_name(self):
        lines = self.head + ['modparam("testmod", "nope", "v")']
        self.check_error(lines, 5, '"v"', "module 'testmod' has no parameter 'nope'")

    def test_modparam_string_for_int(self):
        lines = self.head + ['modparam("testmod", "int_param", "12")']
        self.check_error(lines, 5, '"12"',
                         "parameter 'int_param' of module 'testmod' expects an integer, found a string")

    def test_modparam_int_for_string(self):
        lines = self.head + ['modparam("testmod", "str_param", 12)']
        self.check_error(lines, 5, "12",
                         "parameter 'str_param' of module 'testmod' expects a string, found an integer")

    def test_modparam_rejected(self):
        lines = self.head + ['modparam("testmod", "reject_param", "ok")',
                             'modparam("testmod", "reject_param", "bad")']
        self.check_error(lines, 6, '"bad"',
                         "module 'testmod' rejected parameter 'reject_param': value \"bad\" is not acceptable")

    def test_modparam_error_after_good_ones(self):
        # Earlier params were delivered (and logged) before the bad one stopped it.
        lines = self.head + ['modparam("testmod", "str_param", "a")', 'modparam("testmod", "str_param", "b")',
                             'modparam("testmod", "int_param", "c")']
        rc, _, err, path = run_sipnatd(["-c", "-f", "{cfg}"], config="\n".join(lines) + "\n")
        self.assertEqual(rc, 1)
        self.assertIn("testmod: str_param=b (delivery #2)", err)
        col = lines[6].index('"c"') + 1
        self.assertIn("%s:7:%d: parameter 'int_param'" % (path, col), err)

    # --- the script (fixups run under -c) ---

    def script_engine_present(self):
        lines = self.head + ["route {", "  sipnat_test_no_such_function();", "}"]
        rc, _, _, _ = run_sipnatd(["-c", "-f", "{cfg}"], config="\n".join(lines) + "\n")
        return rc != 0

    def test_fixup_rejects(self):
        if not self.script_engine_present():
            self.skipTest("the route script compiler is not there yet (unknown functions pass -c)")
        lines = self.head + ["route {", '  tm_args("bad", "x");', "}"]
        err = self.check_error(lines, 6, "tm_args", r".*first argument must not be \"bad\"", exact=False)
        self.assertIn("tm_args", err)

    def test_fixup_accepts(self):
        if not self.script_engine_present():
            self.skipTest("the route script compiler is not there yet (unknown functions pass -c)")
        lines = self.head + ["route {", '  tm_args("a", "b", "c");', "  tm_true();", "}"]
        rc, _, err, path = run_sipnatd(["-c", "-l", "4", "-f", "{cfg}"], config="\n".join(lines) + "\n")
        self.assertEqual(rc, 0, err)
        self.assertIn("testmod: tm_args fixup argc=3", err)

    # --- options ---

    def test_version(self):
        for opt in ("-V", "--version"):
            with self.subTest(opt):
                rc, out, err, _ = run_sipnatd([opt])
                self.assertEqual(rc, 0, err)
                v = os.environ.get("SIPNAT_VERSION", r"\d+\.\d+\.\d+")
                self.assertRegex(out, r"^sipnatd %s \(module ABI 1\)\n$" % v)

    def test_help(self):
        for opt in ("-h", "--help"):
            with self.subTest(opt):
                rc, out, err, _ = run_sipnatd([opt])
                self.assertEqual(rc, 0, err)
                self.assertTrue(out.startswith("Usage: sipnatd"), out)
                for o in ("-f FILE", "-c", "-l N", "--help", "--version"):
                    self.assertIn(o, out)

    def test_bad_options(self):
        for args in (["-Z"], ["--bogus"], ["-f"], ["-l", "0"], ["-l", "6"], ["-l", "x"], ["stray"]):
            with self.subTest(args=args):
                rc, out, err, _ = run_sipnatd(args)
                self.assertEqual(rc, 1, (out, err))
                self.assertEqual(out, "")
                self.assertNotEqual(err, "")
        rc, _, err, _ = run_sipnatd(["-l", "6"])
        self.assertIn("sipnatd: -l expects a level from 1 to 5, got '6'", err)
        rc, _, err, _ = run_sipnatd(["stray"])
        self.assertIn("sipnatd: unexpected argument 'stray'", err)

    def test_log_level_option_overrides_config(self):
        lines = ["log_level=1"] + self.head + ['modparam("testmod", "int_param", 5)']
        cfg = "\n".join(lines) + "\n"
        rc, _, err, _ = run_sipnatd(["-c", "-f", "{cfg}"], config=cfg)
        self.assertEqual(rc, 0, err)
        self.assertNotIn("int_param=5", err)  # NOTICE line, config says errors only
        rc, _, err, _ = run_sipnatd(["-c", "-l", "3", "-f", "{cfg}"], config=cfg)
        self.assertEqual(rc, 0, err)
        self.assertRegex(err, r"\d\d:\d\d:\d\d\.\d{3} NOTICE \[testmod\] testmod: int_param=5 \(delivery #1\)\n")


if __name__ == "__main__":
    main()
