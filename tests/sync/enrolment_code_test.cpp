// One-time enrolment codes: their shape, what a person may type, the QR link, and head office's
// POST /v1/enrolment over real HTTP.
#include "sync/protocol/enrolment_code.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "sync/client/http_client.h"
#include "tests/support/test_server.h"

namespace smp {
namespace {

using nlohmann::json;

TEST(EnrolmentCode, IsSixteenCharactersWithoutLookAlikesInGroupsOfFour) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    const std::string shown = protocol::newEnrolmentCode();
    ASSERT_EQ(shown.size(), 19u) << shown;
    for (int dash : {4, 9, 14}) EXPECT_EQ(shown[static_cast<std::size_t>(dash)], '-') << shown;
    const auto canonical = protocol::normaliseEnrolmentCode(shown);
    ASSERT_TRUE(canonical) << shown;
    EXPECT_EQ(canonical->find_first_of("01OILU"), std::string::npos) << shown;
    seen.insert(*canonical);
  }
  EXPECT_EQ(seen.size(), 200u) << "random codes do not repeat";
}

TEST(EnrolmentCode, AcceptsWhatAPersonTypesAndRefusesTheRest) {
  EXPECT_EQ(protocol::normaliseEnrolmentCode("k7qm-2xrp 9hdw-tnb4"), "K7QM2XRP9HDWTNB4");
  EXPECT_EQ(protocol::normaliseEnrolmentCode("K7QM2XRP9HDWTNB4"), "K7QM2XRP9HDWTNB4");
  for (const char* bad :
       {"", "K7QM-2XRP-9HDW", "K7QM-2XRP-9HDW-TNB4-A", "K7QM-2XRP-9HDW-TNB0", "O7QM-2XRP-9HDW-TNB4",
        "K7QM_2XRP_9HDW_TNB4", "K7QM-2XRP-9HDW-TNB\xc3\xa9"}) {
    EXPECT_FALSE(protocol::normaliseEnrolmentCode(bad)) << bad;
  }
  EXPECT_FALSE(protocol::normaliseEnrolmentCode(std::string(10'000, 'A')));
}

TEST(EnrolmentLink, RoundTripsAnAddressWithAPortAndRefusesOtherQrCodes) {
  const std::string link =
      protocol::enrolmentLink("https://head-office.example:8443", "K7QM-2XRP-9HDW-TNB4");
  EXPECT_EQ(link,
            "smpkiosk:enrol?server=https%3A%2F%2Fhead-office.example%3A8443&code="
            "K7QM-2XRP-9HDW-TNB4");
  const auto parsed = protocol::parseEnrolmentLink(link);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->serverUrl, "https://head-office.example:8443");
  EXPECT_EQ(parsed->code, "K7QM2XRP9HDWTNB4");
  for (const char* other : {"https://example.com", "smpkiosk:enrol?", "smpkiosk:enrol?server=x",
                            "smpkiosk:enrol?code=K7QM-2XRP-9HDW-TNB4",
                            "smpkiosk:enrol?server=https%3A%2F%2Fa&code=NOPE",
                            "smpkiosk:enrol?server=https%3A%2F%2Fa&code=K7QM-2XRP-9HDW-TNB4&x=1",
                            "smpkiosk:enrol?server=a&server=b&code=K7QM-2XRP-9HDW-TNB4",
                            "smpkiosk:enrol?server=%ZZ&code=K7QM-2XRP-9HDW-TNB4",
                            "smpkiosk:enrol?server=https%3&code=K7QM-2XRP-9HDW-TNB4",
                            "smpkiosk:enrol?server=https%3A%2F%2Fa&code=K7QM-2XRP-9HDW-TNB4%"}) {
    EXPECT_FALSE(protocol::parseEnrolmentLink(other)) << other;
  }
}

class EnrolmentTest : public ::testing::TestWithParam<test::Backend> {
 protected:
  std::int64_t now = 1'800'000'000;
  test::TestServer server{[this] {
                            server::ServerOptions o;
                            o.officeClock = [this] { return now; };
                            return o;
                          }(),
                          GetParam()};
  server::NewKiosk kiosk = server.storage().addKiosk("Leeds");
  sync::HttpClient http;

  sync::HttpResponse enrol(const std::string& code) {
    return http.request("POST", server.url() + "/v1/enrolment", "", json{{"code", code}}.dump());
  }
  std::string issue(std::int64_t validFor = 24 * 3600) {
    return server.storage().issueEnrolmentCode(kiosk.kioskId, now + validFor)->code;
  }
  long identify(const std::string& token) {
    return http.request("GET", server.url() + "/v1/kiosk", token).status;
  }
};

TEST_P(EnrolmentTest, ACodeGivesItsKioskANewTokenOnce) {
  const std::string code = issue();
  const auto r = enrol(code);
  ASSERT_EQ(r.status, 200) << r.body;
  const json body = json::parse(r.body);
  EXPECT_EQ(body["kiosk_id"], kiosk.kioskId);
  EXPECT_EQ(body["clinic"], "Leeds");
  EXPECT_EQ(r.headers.at("cache-control"), "no-store");
  const std::string token = body["token"];
  EXPECT_EQ(identify(token), 200);
  EXPECT_EQ(identify(kiosk.token), 401) << "the token printed at 'kiosk add' stops working";
  const auto again = enrol(code);
  EXPECT_EQ(again.status, 409);
  EXPECT_NE(again.body.find("used already"), std::string::npos) << again.body;
  EXPECT_EQ(identify(token), 200) << "a second try with a used code changes nothing";
}

TEST_P(EnrolmentTest, ExpiredUnknownAndReplacedCodesAreRefusedWithWhatToDo) {
  const std::string first = issue(3600);
  const std::string second = issue(3600);
  auto r = enrol(first);
  EXPECT_EQ(r.status, 403) << "a newer code replaces an older one";
  EXPECT_NE(r.body.find("ask head office for a new one"), std::string::npos) << r.body;
  now += 3600;
  r = enrol(second);
  EXPECT_EQ(r.status, 410);
  EXPECT_NE(r.body.find("expired"), std::string::npos) << r.body;
  EXPECT_EQ(identify(kiosk.token), 200) << "a refused code leaves the kiosk's token alone";
  r = enrol("not a code");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("16 letters and digits"), std::string::npos) << r.body;
  EXPECT_EQ(http.request("POST", server.url() + "/v1/enrolment", "", "[1]").status, 400);
  EXPECT_EQ(http.request("POST", server.url() + "/v1/enrolment", "", std::string(600, ' ')).status,
            413);
  EXPECT_FALSE(server.storage().issueEnrolmentCode("kiosk-nope", now + 60));
}

TEST_P(EnrolmentTest, ACodeOfARevokedKioskIsRefused) {
  const std::string code = issue();
  ASSERT_TRUE(server.storage().revokeKiosk(kiosk.kioskId));
  const auto r = enrol(code);
  EXPECT_EQ(r.status, 403);
  EXPECT_NE(r.body.find("revoked"), std::string::npos) << r.body;
}

TEST_P(EnrolmentTest, TwoKiosksRacingWithOneCodeGetOneToken) {
  const std::string code = issue();
  // One request first, as any running server has served: Debian's cpp-httplib builds a
  // function-local static std::regex on its first POST, and ThreadSanitizer cannot see the
  // guard of that uninstrumented library, so eight first requests at once read as a race there.
  ASSERT_EQ(enrol("K7QM-2XRP-9HDW-TNB4").status, 403);
  std::atomic<int> ok{0}, used{0};
  std::vector<std::thread> racers;
  for (int i = 0; i < 8; ++i) {
    racers.emplace_back([&] {
      sync::HttpClient own;
      const auto r =
          own.request("POST", server.url() + "/v1/enrolment", "", json{{"code", code}}.dump());
      if (r.status == 200) ++ok;
      if (r.status == 409) ++used;
    });
  }
  for (auto& t : racers) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(used.load(), 7);
}

}  // namespace

INSTANTIATE_TEST_SUITE_P(Backends, EnrolmentTest, test::allBackends(), test::backendName);

}  // namespace smp
