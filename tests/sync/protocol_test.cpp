// Protocol records: round trip, canonical hash, field-by-field rejection.
#include <gtest/gtest.h>

#include "sync/protocol/consultation.h"
#include "sync/protocol/sha256.h"

namespace smp::protocol {
namespace {

ConsultationRecord sample() {
  ConsultationRecord r;
  r.id = newUuid();
  r.kioskSeq = 7;
  r.createdAt = "2026-11-21T10:00:00Z";
  r.clientName = "Alex";
  r.concern = "alopecia";
  r.consentTextSha256 = sha256Hex("consent");
  r.consentedAt = r.createdAt;
  r.photos = {{"front", sha256Hex("a"), 1, "image/jpeg"}};
  return r;
}

TEST(Sha256, KnownVector) {
  EXPECT_EQ(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_TRUE(isSha256Hex(sha256Hex("")));
  EXPECT_FALSE(isSha256Hex("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"));
  EXPECT_FALSE(isSha256Hex("../../etc/passwd"));
}

TEST(Protocol, RoundTripKeepsTheHash) {
  const ConsultationRecord r = sample();
  const auto back = ConsultationRecord::fromJson(nlohmann::json::parse(r.toJson().dump()));
  EXPECT_EQ(back.contentSha256(), r.contentSha256());
  EXPECT_EQ(back.blobHashes(), r.blobHashes());
}

TEST(Protocol, HashChangesWithContent) {
  ConsultationRecord r = sample();
  const std::string h = r.contentSha256();
  r.clientName = "Alexa";
  EXPECT_NE(r.contentSha256(), h);
}

TEST(Protocol, RejectsBadFieldsByName) {
  auto expectError = [](nlohmann::json j, const std::string& needle) {
    try {
      ConsultationRecord::fromJson(j);
      ADD_FAILURE() << "accepted: " << j.dump();
    } catch (const ProtocolError& e) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  };
  const nlohmann::json good = sample().toJson();
  auto j = good;
  j.erase("id");
  expectError(j, "missing field 'id'");
  j = good;
  j["id"] = "../../x";
  expectError(j, "is not a UUID");
  j = good;
  j["kiosk_seq"] = "seven";
  expectError(j, "'kiosk_seq' must be an integer");
  j = good;
  j["protocol"] = 99;
  expectError(j, "protocol version 99 is not supported");
  j = good;
  j["photos"] = nlohmann::json::array();
  expectError(j, "needs a photo");
  j = good;
  j["photos"][0]["sha256"] = "zz";
  expectError(j, "not a lowercase hex sha256");
  j = good;
  j["concern"] = "vanity";
  expectError(j, "not a known concern");
  expectError(nlohmann::json::array(), "expected a JSON object");
}

TEST(Protocol, UuidsAreVersion4AndUnique) {
  const std::string a = newUuid(), b = newUuid();
  EXPECT_TRUE(isUuid(a));
  EXPECT_NE(a, b);
  EXPECT_EQ(a[14], '4');
}

}  // namespace
}  // namespace smp::protocol
