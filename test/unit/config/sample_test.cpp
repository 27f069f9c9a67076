// A realistic config end to end.
#include <arpa/inet.h>

#include "helpers.h"

using namespace cfgtest;

TEST_CASE("sample: realistic config", "[config][sample]") {
    const char *text = "# sipnat example\n"
                       "log_level=3\n"
                       "children=2\n"
                       "listen=udp:127.0.0.1:5060\n"
                       "listen=udp:[::1]:5060\n"
                       "mpath=\"/usr/lib/sipnat/modules\"\n"
                       "loadmodule \"stun.so\"\n"
                       "modparam(\"stun\", \"alternate_ip\", \"127.0.0.2\")\n"
                       "route {\n"
                       "    if (!has_totag() && is_method(\"INVITE\")) {\n"
                       "        $avp(signaling_ip) = $si;\n"
                       "        if (client_nat_test(\"3\")) { fix_contact(); }\n"
                       "    } else if (method == \"BYE\") { end_media_session(); }\n"
                       "    if ($rU =~ \"^[0-9]+$\") { xlog(\"L_INFO\", \"num $rU\\n\"); }\n"
                       "    forward();\n"
                       "}\n"
                       "onreply_route { if (status =~ \"(183)|(2[0-9][0-9])\") { use_media_proxy(); } }\n";
    Config c = parse_ok(text);
    CHECK(c.log_level == 3);
    CHECK(c.children == 2);
    REQUIRE(c.listen.size() == 2);
    CHECK(c.listen[0].family == AF_INET);
    CHECK(c.listen[1].family == AF_INET6);
    CHECK(c.listen[1].ip == "::1");
    CHECK(c.mpath == "/usr/lib/sipnat/modules");
    REQUIRE(c.modules.size() == 1);
    CHECK(c.modules[0].path == "stun.so");
    REQUIRE(c.modparams.size() == 1);
    CHECK(c.modparams[0].value.s == "127.0.0.2");
    REQUIRE(c.routes.size() == 2);

    const RouteBlock &main = c.routes[0];
    CHECK(main.type == RouteType::Request);
    CHECK(main.pos.str() == "sipnat.cfg:9:1");
    REQUIRE(main.body.size() == 3);
    CHECK(to_sexpr(main.body[0]) ==
          "(if (&& (! (call has_totag)) (call is_method \"INVITE\")) "
          "(then (= $avp(signaling_ip) $si) (if (call client_nat_test \"3\") (then (call fix_contact)))) "
          "(else (if (== (kw method) \"BYE\") (then (call end_media_session)))))");
    CHECK(to_sexpr(main.body[1]) ==
          "(if (=~ $rU \"^[0-9]+$\") (then (call xlog \"L_INFO\" \"num $rU\\n\")))");
    CHECK(main.body[1].pos.str() == "sipnat.cfg:14:5");
    CHECK(to_sexpr(main.body[2]) == "(call forward)");

    const RouteBlock &reply = c.routes[1];
    CHECK(reply.type == RouteType::OnReply);
    CHECK(to_sexpr(reply) ==
          "(onreply_route (if (=~ (kw status) \"(183)|(2[0-9][0-9])\") (then (call use_media_proxy))))");
}
