#!/usr/bin/env python3
"""modparam: every occurrence is delivered (in file order, also under -c); the module's
api_publish / api_find between init calls (testmod publishes and finds its own API)."""

import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "helpers"))

from sipnat_test import SipnatTestCase, main, run_sipnatd, testmod_config  # noqa: E402

PARAMS = [
    ("str_param", "one"),
    ("int_param", 7),
    ("str_param", "two words"),
    ("int_param", -3),
    ("str_param", "three"),
    ("reject_param", "fine"),
]


class ParamsTest(SipnatTestCase):

    def check_deliveries(self, messages):
        strs = [m for m in messages if m.startswith("testmod: str_param=")]
        ints = [m for m in messages if m.startswith("testmod: int_param=")]
        self.assertEqual(strs, ["testmod: str_param=one (delivery #1)",
                                "testmod: str_param=two words (delivery #2)",
                                "testmod: str_param=three (delivery #3)"])
        self.assertEqual(ints, ["testmod: int_param=7 (delivery #1)", "testmod: int_param=-3 (delivery #2)"])
        self.assertIn("testmod: reject_param=fine accepted", messages)

    def test_each_delivery_running(self):
        d, _ = self.start(lambda p: testmod_config([("127.0.0.1", p[0])], params=PARAMS))
        self.check_deliveries(d.messages())
        self.assert_clean_stop(d)

    def test_each_delivery_check_mode(self):
        rc, out, err, path = run_sipnatd(["-c", "-l", "3", "-f", "{cfg}"],
                                         config=testmod_config([("127.0.0.1", 5060)], params=PARAMS))
        self.assertEqual(rc, 0, err)
        msgs = [re.sub(r"^\S+ \w+ \[[^\]]*\] ", "", l) for l in err.splitlines()]
        self.check_deliveries(msgs)
        self.assertIn("%s: config file ok" % path, err.splitlines())
        # -c neither runs init nor starts workers.
        self.assertNotIn("testmod: init", err)
        self.assertNotIn("worker_init", err)

    def test_api_publish_and_find_own_name(self):
        d, _ = self.start(lambda p: testmod_config([("127.0.0.1", p[0])], params=[
            ("publish_as", "tm_api"), ("find_api", "tm_api")]))
        self.assert_logged(d, r"^testmod: published api as tm_api$", timeout=0)
        self.assert_logged(d, r"^testmod: api_find\(tm_api\) found, add\(2,3\)=5$", timeout=0)
        self.assert_clean_stop(d)

    def test_api_default_name(self):
        d, _ = self.start(lambda p: testmod_config([("127.0.0.1", p[0])], params=[("find_api", "testmod")]))
        self.assert_logged(d, r"^testmod: published api as testmod$", timeout=0)
        self.assert_logged(d, r"^testmod: api_find\(testmod\) found, add\(2,3\)=5$", timeout=0)
        self.assert_clean_stop(d)

    def test_api_not_found(self):
        d, _ = self.start(lambda p: testmod_config([("127.0.0.1", p[0])], params=[("find_api", "nobody")]))
        self.assert_logged(d, r"^testmod: api_find\(nobody\) not found$", timeout=0)
        self.assert_clean_stop(d)


if __name__ == "__main__":
    main()
