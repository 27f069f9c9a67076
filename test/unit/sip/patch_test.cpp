#include <catch2/catch.hpp>

#include "sip/patch.h"

using sipnat::sip::PatchList;

TEST_CASE("patch: disjoint edits do not interfere", "[patch]") {
    PatchList p;
    REQUIRE(p.add(6, 5, "there"));  // replace "world"
    REQUIRE(p.add(0, 5, "HELLO"));  // replace "hello", added second but earlier in the text
    REQUIRE(p.add(5, 0, ","));      // insert
    CHECK(p.apply("hello world") == "HELLO, there");
}

TEST_CASE("patch: inserts at one offset keep insertion order and precede a replacement there", "[patch]") {
    PatchList p;
    REQUIRE(p.add(3, 1, "X"));
    REQUIRE(p.add(3, 0, "1"));
    REQUIRE(p.add(3, 0, "2"));
    REQUIRE(p.add(4, 0, "3"));  // right after the replaced byte
    CHECK(p.apply("abcdef") == "abc12X3ef");
}

TEST_CASE("patch: the last of two equal-range replacements wins", "[patch]") {
    PatchList p;
    REQUIRE(p.add(0, 3, "one"));
    REQUIRE(p.add(0, 3, "two"));
    CHECK(p.patches().size() == 1);
    CHECK(p.apply("abcdef") == "twodef");
}

TEST_CASE("patch: a covering removal drops edits inside it but keeps inserts on its edges", "[patch]") {
    PatchList p;
    REQUIRE(p.add(2, 0, "<edge-start>"));
    REQUIRE(p.add(3, 1, "Z"));
    REQUIRE(p.add(4, 0, "inside"));
    REQUIRE(p.add(6, 0, "<edge-end>"));
    REQUIRE(p.add(2, 4, ""));  // remove "cdef"
    CHECK(p.apply("abcdefgh") == "ab<edge-start><edge-end>gh");
}

TEST_CASE("patch: edits inside or across replaced text are refused", "[patch]") {
    PatchList p;
    REQUIRE(p.add(2, 4, "xx"));
    CHECK_FALSE(p.add(3, 1, "y"));  // inside
    CHECK_FALSE(p.add(4, 0, "y"));  // insert inside
    CHECK_FALSE(p.add(5, 3, "y"));  // partial overlap
    CHECK(p.add(6, 0, "!"));        // on the edge
    CHECK(p.apply("abcdefgh") == "abxx!gh");
}

TEST_CASE("patch: no patches gives the input back", "[patch]") {
    PatchList p;
    CHECK(p.empty());
    CHECK(p.apply("same") == "same");
}
