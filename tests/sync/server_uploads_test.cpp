// Head-office API, second part: chunked resumable uploads, revisions, erasure, config with
// ETag, heartbeats and revocation, over real HTTP with the real libcurl client.
#include <gtest/gtest.h>

#include "sync/client/http_client.h"
#include "sync/protocol/consultation.h"
#include "sync/protocol/messages.h"
#include "sync/protocol/sha256.h"
#include "tests/support/sample_records.h"
#include "tests/support/test_server.h"

namespace smp {
namespace {

using nlohmann::json;

class ServerV2Test : public ::testing::TestWithParam<test::Backend> {
 protected:
  test::TestServer server{GetParam()};
  server::NewKiosk kiosk = server.storage().addKiosk("Leeds");
  sync::HttpClient http;

  sync::HttpResponse call(const std::string& method, const std::string& path,
                          const std::string& body = {}, const std::string& header = {},
                          const std::string* token = nullptr) {
    return http.request(method, server.url() + path, token ? *token : kiosk.token, body,
                        "application/json", header);
  }
  protocol::ConsultationRecord record(const std::string& photo, int revision = 1) {
    auto r = test::recordNaming(photo, 1, m_id);
    r.revision = revision;
    EXPECT_EQ(call("PUT", "/v1/blobs/" + protocol::sha256Hex(photo), photo).status, 200);
    return r;
  }

 private:
  std::string m_id = protocol::newUuid();
};

TEST_P(ServerV2Test, ChunkedUploadResumesFromTheServersOffset) {
  std::string blob(2'500'000, 'x');
  for (std::size_t i = 0; i < blob.size(); ++i) blob[i] = static_cast<char>(i * 31 % 251);
  const std::string sha = protocol::sha256Hex(blob);
  const std::string size = "&size=" + std::to_string(blob.size());
  auto state = call("GET", "/v1/blobs/" + sha);
  EXPECT_EQ(state.status, 404);
  EXPECT_EQ(json::parse(state.body)["received"], 0);
  EXPECT_EQ(call("PUT", "/v1/blobs/" + sha + "?offset=0" + size, blob.substr(0, 1 << 20)).status,
            202);
  // The connection drops here; a resuming client asks where to continue.
  state = call("GET", "/v1/blobs/" + sha);
  EXPECT_EQ(json::parse(state.body)["received"], 1 << 20);
  // A stale retry of the first chunk is told the real offset instead of corrupting the blob.
  const auto stale = call("PUT", "/v1/blobs/" + sha + "?offset=0" + size, blob.substr(0, 1 << 20));
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(json::parse(stale.body)["received"], 1 << 20);
  EXPECT_EQ(
      call("PUT", "/v1/blobs/" + sha + "?offset=1048576" + size, blob.substr(1 << 20, 1 << 20))
          .status,
      202);
  EXPECT_EQ(call("PUT", "/v1/blobs/" + sha + "?offset=2097152" + size, blob.substr(2 << 20)).status,
            200);
  EXPECT_EQ(call("GET", "/v1/blobs/" + sha).status, 200);
  EXPECT_EQ(server.storage().blob(sha), blob);
}

TEST_P(ServerV2Test, CorruptedChunksAreDiscardedNotStored) {
  const std::string good = "abcdefgh";
  const std::string sha = protocol::sha256Hex(good);
  EXPECT_EQ(call("PUT", "/v1/blobs/" + sha + "?offset=0&size=8", "abcd").status, 202);
  const auto bad = call("PUT", "/v1/blobs/" + sha + "?offset=4&size=8", "XXXX");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("discarded"), std::string::npos);
  EXPECT_EQ(json::parse(call("GET", "/v1/blobs/" + sha).body)["received"], 0);
  EXPECT_FALSE(server.storage().blob(sha).has_value());
  EXPECT_EQ(call("PUT", "/v1/blobs/" + sha + "?offset=0&size=8", good.substr(0, 4) + "e").status,
            202);
  EXPECT_EQ(call("PUT", "/v1/blobs/" + sha + "?offset=5&size=8", "fghij").status, 400)
      << "runs past size";
  EXPECT_EQ(call("PUT", "/v1/blobs/" + sha + "?offset=-1&size=8", "x").status, 400);
  EXPECT_EQ(call("PUT", "/v1/blobs/" + sha + "?offset=0&size=99999999999", "x").status, 413);
}

// A photo sent whole (every photo: one request each) meets what the kiosk sent before: the same
// upload under way in pieces goes on from its offset; a partial of another declared size is
// junk and goes; a photo the kiosk already holds is acknowledged again and kept as it was.
TEST_P(ServerV2Test, APhotoSentWholeMeetsEarlierUploadsOfItsBytes) {
  const std::string photo = "a photo of sixteen";
  const std::string sha = protocol::sha256Hex(photo);
  const std::string size = "&size=" + std::to_string(photo.size());
  const std::string whole = "/v1/blobs/" + sha + "?offset=0" + size;
  ASSERT_EQ(call("PUT", whole, photo.substr(0, 6)).status, 202);
  const auto underWay = call("PUT", whole, photo);
  EXPECT_EQ(underWay.status, 409) << underWay.body;
  EXPECT_EQ(json::parse(underWay.body)["received"], 6) << "the upload in pieces goes on";
  EXPECT_FALSE(server.storage().blob(sha).has_value());
  ASSERT_EQ(call("PUT", "/v1/blobs/" + sha + "?offset=6" + size, photo.substr(6)).status, 200);
  EXPECT_EQ(server.storage().blob(sha), photo);
  EXPECT_EQ(call("PUT", whole, photo).status, 200) << "held already: acknowledged again";
  EXPECT_EQ(server.storage().blob(sha), photo);

  // A partial of another declared size is junk: the whole photo replaces it, and its part
  // file goes.
  const std::string second = "another photo, whole";
  const std::string secondSha = protocol::sha256Hex(second);
  ASSERT_EQ(call("PUT", "/v1/blobs/" + secondSha + "?offset=0&size=30", "another").status, 202);
  EXPECT_EQ(call("PUT", "/v1/blobs/" + secondSha + "?offset=0&size=20", second).status, 200);
  EXPECT_EQ(server.storage().blob(secondSha), second);
  EXPECT_EQ(call("GET", "/v1/blobs/" + secondSha).status, 200);
  EXPECT_TRUE(std::filesystem::is_empty(server.storage().blobFolder() / "uploads"));
}

TEST_P(ServerV2Test, ANewerRevisionReplacesAnEqualOneConflicts) {
  auto r1 = record("photo");
  ASSERT_EQ(call("PUT", "/v1/consultations/" + r1.id, r1.toJson().dump()).status, 201);
  auto r2 = r1;
  r2.revision = 2;
  r2.intake = {{"norwood", "IV"}};
  ASSERT_EQ(call("PUT", "/v1/consultations/" + r2.id, r2.toJson().dump()).status, 201);
  auto r1changed = r1;
  r1changed.clientName = "Changed";
  EXPECT_EQ(call("PUT", "/v1/consultations/" + r1.id, r1changed.toJson().dump()).status, 409);
  EXPECT_EQ(call("PUT", "/v1/consultations/" + r2.id, r2.toJson().dump()).status, 200)
      << "duplicate";
  int rows = 0;
  server.storage().forEachConsultation([&](const server::StoredConsultation& c) {
    ++rows;
    EXPECT_EQ(c.revision, 2);
    EXPECT_EQ(c.record["intake"]["norwood"], "IV");
  });
  EXPECT_EQ(rows, 1);
}

TEST_P(ServerV2Test, ErasureDeletesRecordAndPhotosAndIsIdempotent) {
  auto r = record("private photo");
  ASSERT_EQ(call("PUT", "/v1/consultations/" + r.id, r.toJson().dump()).status, 201);
  const auto erased = call("DELETE", "/v1/consultations/" + r.id);
  EXPECT_EQ(erased.status, 200);
  EXPECT_EQ(json::parse(erased.body)["status"], "erased");
  EXPECT_EQ(call("DELETE", "/v1/consultations/" + r.id).status, 200)
      << "a retried tombstone is fine";
  EXPECT_FALSE(server.storage().blob(protocol::sha256Hex("private photo")).has_value());
  int rows = 0;
  server.storage().forEachConsultation([&](const server::StoredConsultation&) { ++rows; });
  EXPECT_EQ(rows, 0);
  // A late copy of the record cannot bring it back.
  EXPECT_EQ(
      call("PUT", "/v1/blobs/" + protocol::sha256Hex("private photo"), "private photo").status,
      200);
  EXPECT_EQ(call("PUT", "/v1/consultations/" + r.id, r.toJson().dump()).status, 410);
  // Another kiosk cannot erase this kiosk's records.
  auto r2 = record("other");
  r2.id = protocol::newUuid();
  r2.kioskSeq = 2;
  ASSERT_EQ(call("PUT", "/v1/consultations/" + r2.id, r2.toJson().dump()).status, 201);
  const auto other = server.storage().addKiosk("York");
  EXPECT_EQ(call("DELETE", "/v1/consultations/" + r2.id, {}, {}, &other.token).status, 409);
}

TEST_P(ServerV2Test, ConfigComesWithAnETag) {
  const json config = {
      {"languages", {"en", "es", "fr"}},
      {"consent_texts", {{"en", {{"version", "v2"}, {"text", "..."}}}}},
      {"price_list", {{{"item", "Full head"}, {"min", 1500}, {"max", 3000}, {"currency", "GBP"}}}},
      {"idle_timeouts", {{"warning_seconds", 60}, {"reset_seconds", 20}}}};
  protocol::validateConfig(config);
  server.storage().setConfig(config);
  const auto first = call("GET", "/v1/config");
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(json::parse(first.body), config);
  const std::string etag = first.headers.at("etag");
  EXPECT_EQ(call("GET", "/v1/config", {}, "If-None-Match: " + etag).status, 304);
  auto changed = config;
  changed["idle_timeouts"]["reset_seconds"] = 30;
  server.storage().setConfig(changed);
  EXPECT_EQ(call("GET", "/v1/config", {}, "If-None-Match: " + etag).status, 200);
  auto bad = config;
  bad["idle_timeouts"]["reset_seconds"] = 5;  // under WCAG's 20 s
  EXPECT_THROW(protocol::validateConfig(bad), protocol::ProtocolError);
}

TEST_P(ServerV2Test, HeartbeatsAreStoredAndValidated) {
  const protocol::Heartbeat h{"0.1.0", 3, 7200, 1, 5'000'000'000};
  EXPECT_EQ(call("POST", "/v1/heartbeat", h.toJson().dump()).status, 200);
  const auto kiosks = server.storage().kiosks();
  ASSERT_EQ(kiosks.size(), 1u);
  EXPECT_EQ(kiosks[0].lastHeartbeat["pending"], 3);
  EXPECT_FALSE(kiosks[0].lastSeenAt.empty());
  EXPECT_EQ(call("POST", "/v1/heartbeat", R"({"app_version": 5})").status, 400);
  EXPECT_EQ(call("POST", "/v1/heartbeat", "nonsense").status, 400);
}

TEST_P(ServerV2Test, RevocationCutsAKioskOffAtOnce) {
  EXPECT_EQ(call("GET", "/v1/kiosk").status, 200);
  ASSERT_TRUE(server.storage().revokeKiosk(kiosk.kioskId));
  EXPECT_EQ(call("GET", "/v1/kiosk").status, 401);
  EXPECT_EQ(call("GET", "/v1/config").status, 401);
  EXPECT_FALSE(server.storage().revokeKiosk("kiosk-nope"));
}

TEST_P(ServerV2Test, ARotatedTokenKeepsTheKioskAndEndsTheOldToken) {
  ASSERT_TRUE(server.storage().revokeKiosk(kiosk.kioskId));
  const auto rotated = server.storage().rotateKioskToken(kiosk.kioskId);
  ASSERT_TRUE(rotated.has_value());
  EXPECT_NE(*rotated, kiosk.token);
  const auto answer = call("GET", "/v1/kiosk", {}, {}, &*rotated);
  ASSERT_EQ(answer.status, 200) << "the revocation is lifted for the new token";
  EXPECT_EQ(nlohmann::json::parse(answer.body)["kiosk_id"], kiosk.kioskId) << "same kiosk id";
  EXPECT_EQ(call("GET", "/v1/kiosk").status, 401) << "the old token no longer works";
  EXPECT_FALSE(server.storage().rotateKioskToken("kiosk-nope").has_value());
}

}  // namespace

INSTANTIATE_TEST_SUITE_P(Backends, ServerV2Test, test::allBackends(), test::backendName);

}  // namespace smp
