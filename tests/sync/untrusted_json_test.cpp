// Bounded parsing and safe printing of JSON from outside, the log escaper and the rate limiter.
#include "sync/protocol/untrusted_json.h"

#include <gtest/gtest.h>

#include "sync/protocol/consultation.h"
#include "sync/protocol/messages.h"
#include "sync/server/head_office_server.h"
#include "sync/server/rate_limiter.h"

namespace smp {
namespace {

using nlohmann::json;

TEST(UntrustedJson, DepthAndSizeAreCheckedBeforeTheDocumentIsBuilt) {
  EXPECT_EQ(protocol::parseUntrustedJson(R"({"a":[1,{"b":null}]})", 100)["a"][0], 1);
  const std::string at64 = std::string(64, '[') + std::string(64, ']');
  EXPECT_NO_THROW(protocol::parseUntrustedJson(at64, 1000));
  try {
    protocol::parseUntrustedJson("[" + at64 + "]", 1000);
    FAIL();
  } catch (const protocol::ProtocolError& e) {
    EXPECT_NE(std::string(e.what()).find("deeper than 64"), std::string::npos);
  }
  // A million levels: refused at once, without recursion or a document.
  const std::string huge = std::string(1'000'000, '[');
  EXPECT_THROW(protocol::parseUntrustedJson(huge, 2'000'000), protocol::ProtocolError);
  try {
    protocol::parseUntrustedJson(std::string(101, ' '), 100);
    FAIL();
  } catch (const protocol::ProtocolError& e) {
    EXPECT_NE(std::string(e.what()).find("over the limit of 100"), std::string::npos);
  }
  EXPECT_THROW(protocol::parseUntrustedJson("{\"a\":", 100), protocol::ProtocolError);
  EXPECT_THROW(protocol::parseUntrustedJson("\"\xff\"", 100), protocol::ProtocolError)
      << "invalid UTF-8 in a string is not JSON";
}

TEST(UntrustedJson, PrintingReplacesInvalidUtf8InsteadOfThrowing) {
  const json j = {{"path", std::string("/\xff\xfe/ok")}};
  EXPECT_THROW((void)j.dump(), json::type_error) << "what crashed the server";
  const std::string text = protocol::dumpJson(j);
  EXPECT_EQ(json::parse(text)["path"], "/\xEF\xBF\xBD\xEF\xBF\xBD/ok");
}

TEST(ConfigRetention, RetentionDaysIsOptionalAndBounded) {
  json c = {{"languages", {"en"}},
            {"consent_texts", {{"en", {{"version", "v1"}, {"text", "..."}}}}},
            {"price_list", json::array()},
            {"idle_timeouts", {{"warning_seconds", 60}, {"reset_seconds", 20}}}};
  EXPECT_NO_THROW(protocol::validateConfig(c));
  c["retention_days"] = 90;
  EXPECT_NO_THROW(protocol::validateConfig(c));
  for (const json& bad : {json(0), json(3651), json("90"), json(1.5)}) {
    c["retention_days"] = bad;
    EXPECT_THROW(protocol::validateConfig(c), protocol::ProtocolError) << bad.dump();
  }
}

TEST(LogEscape, ControlCharactersAndNonAsciiBecomeHex) {
  EXPECT_EQ(server::escapeForLog("GET /a\nforged\r\x01\\\xff"),
            "GET /a\\x0aforged\\x0d\\x01\\x5c\\xff");
  EXPECT_EQ(server::escapeForLog("plain text 123"), "plain text 123");
}

TEST(RateLimiter, BurstThenTheSustainedRatePerKey) {
  server::RateLimiter limiter({2.0, 3.0});
  const auto t0 = server::RateLimiter::Clock::now();
  int retry = 0;
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.allow("a", retry, t0)) << i;
  EXPECT_FALSE(limiter.allow("a", retry, t0));
  EXPECT_EQ(retry, 1);
  EXPECT_TRUE(limiter.allow("b", retry, t0)) << "each key has its own bucket";
  EXPECT_TRUE(limiter.allow("a", retry, t0 + std::chrono::milliseconds(500))) << "refilled 1";
  EXPECT_FALSE(limiter.allow("a", retry, t0 + std::chrono::milliseconds(500)));
  EXPECT_TRUE(limiter.allow("a", retry, t0 + std::chrono::seconds(60)));
}

}  // namespace
}  // namespace smp
