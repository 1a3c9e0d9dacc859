// The head-office API over real HTTP on 127.0.0.1 with the real libcurl client.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sodium.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <thread>

#include "sync/client/http_client.h"
#include "sync/protocol/consultation.h"
#include "sync/protocol/sha256.h"
#include "sync/server/export.h"
#include "sync/server/sqlite_server_storage.h"
#include "tests/support/sample_records.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"

namespace smp {
namespace {

using nlohmann::json;

class ServerTest : public ::testing::TestWithParam<test::Backend> {
 protected:
  test::TestServer server{GetParam()};
  server::NewKiosk kiosk = server.storage().addKiosk("Leeds");
  sync::HttpClient http;

  sync::HttpResponse call(const std::string& method, const std::string& path,
                          const std::string& body = {}, const std::string& token = "use-kiosk") {
    return http.request(method, server.url() + path, token == "use-kiosk" ? kiosk.token : token,
                        body);
  }

  protocol::ConsultationRecord storedRecord(const std::string& photo = "photo") {
    auto r = test::recordNaming(photo, ++m_seq);
    EXPECT_EQ(call("PUT", "/v1/blobs/" + protocol::sha256Hex(photo), photo).status, 200);
    return r;
  }

 private:
  std::int64_t m_seq = 0;
};

TEST_P(ServerTest, HealthNeedsNoToken) {
  const auto r = call("GET", "/healthz", {}, "");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(json::parse(r.body)["status"], "ok");
}

TEST_P(ServerTest, EverythingElseNeedsAValidToken) {
  EXPECT_EQ(call("GET", "/v1/kiosk", {}, "").status, 401);
  const auto bad = call("GET", "/v1/kiosk", {}, "smpk_wrong");
  EXPECT_EQ(bad.status, 401);
  EXPECT_NE(json::parse(bad.body)["error"].get<std::string>().find("re-enrolled"),
            std::string::npos);
  const auto ok = call("GET", "/v1/kiosk");
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(json::parse(ok.body)["clinic"], "Leeds");
}

TEST_P(ServerTest, BlobsAreVerifiedByHash) {
  const std::string sha = protocol::sha256Hex("hello");
  EXPECT_EQ(call("GET", "/v1/blobs/" + sha).status, 404);
  const auto wrong = call("PUT", "/v1/blobs/" + sha, "HELLO");
  EXPECT_EQ(wrong.status, 400);
  EXPECT_NE(wrong.body.find("hashes to"), std::string::npos);
  EXPECT_EQ(call("GET", "/v1/blobs/" + sha).status, 404);
  EXPECT_EQ(call("PUT", "/v1/blobs/" + sha, "hello").status, 200);
  EXPECT_EQ(call("GET", "/v1/blobs/" + sha).status, 200);
  EXPECT_EQ(call("PUT", "/v1/blobs/..%2F..%2Fetc%2Fpasswd", "x").status, 400);
}

TEST_P(ServerTest, StoreIsIdempotentAndConflictsAreRefused) {
  auto r = storedRecord();
  const std::string body = r.toJson().dump();
  const auto first = call("PUT", "/v1/consultations/" + r.id, body);
  EXPECT_EQ(first.status, 201);
  const auto ack = protocol::Ack::fromJson(json::parse(first.body));
  EXPECT_EQ(ack.sha256, r.contentSha256());
  EXPECT_EQ(ack.status, "stored");
  const auto again = call("PUT", "/v1/consultations/" + r.id, body);
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(protocol::Ack::fromJson(json::parse(again.body)).status, "duplicate");
  r.clientName = "Changed";
  EXPECT_EQ(call("PUT", "/v1/consultations/" + r.id, r.toJson().dump()).status, 409);
  int rows = 0;
  server.storage().forEachConsultation([&](const server::StoredConsultation&) { ++rows; });
  EXPECT_EQ(rows, 1);
}

TEST_P(ServerTest, ConcurrentIdenticalRequestsGiveOneRow) {
  const auto r = storedRecord();
  const std::string body = r.toJson().dump();
  std::atomic<int> created{0}, duplicates{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      sync::HttpClient client;
      const auto res =
          client.request("PUT", server.url() + "/v1/consultations/" + r.id, kiosk.token, body);
      if (res.status == 201) ++created;
      if (res.status == 200) ++duplicates;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(created, 1);
  EXPECT_EQ(duplicates, 7);
}

// The check is in the store call itself (one round trip a record): a record naming bytes this
// kiosk has not uploaded is not stored, even when another kiosk holds the same bytes.
TEST_P(ServerTest, RecordsNeedTheirBlobsFirst) {
  auto r = storedRecord();
  const std::string preview = "uploaded by another kiosk only";
  r.previews = {{"preview", protocol::sha256Hex(preview), preview.size(), "image/jpeg"}};
  const auto other = server.storage().addKiosk("York");
  ASSERT_EQ(http.request("PUT", server.url() + "/v1/blobs/" + protocol::sha256Hex(preview),
                         other.token, preview)
                .status,
            200);
  const auto res = call("PUT", "/v1/consultations/" + r.id, r.toJson().dump());
  EXPECT_EQ(res.status, 422);
  EXPECT_EQ(json::parse(res.body)["missing"], json::array({protocol::sha256Hex(preview)}));
  int stored = 0;
  server.storage().forEachConsultation([&](const server::StoredConsultation&) { ++stored; });
  EXPECT_EQ(stored, 0);
  ASSERT_EQ(call("PUT", "/v1/blobs/" + protocol::sha256Hex(preview), preview).status, 200);
  EXPECT_EQ(call("PUT", "/v1/consultations/" + r.id, r.toJson().dump()).status, 201);
}

TEST_P(ServerTest, BadInputGetsAClear4xxAndNothingIsStored) {
  const auto r = storedRecord();
  EXPECT_EQ(call("PUT", "/v1/consultations/" + r.id, "{not json").status, 400);
  EXPECT_EQ(call("PUT", "/v1/consultations/" + r.id, "[]").status, 400);
  auto j = r.toJson();
  j["revision"] = "one";
  const auto wrongType = call("PUT", "/v1/consultations/" + r.id, j.dump());
  EXPECT_EQ(wrongType.status, 400);
  EXPECT_NE(wrongType.body.find("revision"), std::string::npos);
  EXPECT_EQ(call("PUT", "/v1/consultations/" + protocol::newUuid(), r.toJson().dump()).status, 400);
  EXPECT_EQ(call("PUT", "/v1/consultations/..%2Fx", r.toJson().dump()).status, 400);
  const auto huge =
      call("PUT", "/v1/consultations/" + r.id, std::string(protocol::kMaxRecordBytes + 10, ' '));
  EXPECT_EQ(huge.status, 413);
  const auto tooBig = call("PUT", "/v1/blobs/" + protocol::sha256Hex("x"),
                           std::string(protocol::kMaxBlobBytes + 1, 'x'));
  EXPECT_EQ(tooBig.status, 413);
  EXPECT_EQ(call("GET", "/v1/nothing-here").status, 404);
  int rows = 0;
  server.storage().forEachConsultation([&](const server::StoredConsultation&) { ++rows; });
  EXPECT_EQ(rows, 0);
  EXPECT_EQ(call("GET", "/healthz").status, 200);  // still serving
}

TEST_P(ServerTest, ExportHasOneLinePerConsultationWithHashes) {
  const auto r = storedRecord("the photo");
  ASSERT_EQ(call("PUT", "/v1/consultations/" + r.id, r.toJson().dump()).status, 201);
  std::ostringstream jsonl, csv;
  EXPECT_EQ(server::exportConsultations(server.storage(), server::ExportFormat::kJsonl, jsonl), 1);
  const auto line = json::parse(jsonl.str());
  EXPECT_EQ(line["id"], r.id);
  EXPECT_EQ(line["clinic"], "Leeds");
  EXPECT_EQ(line["photo_sha256"][0], protocol::sha256Hex("the photo"));
  EXPECT_EQ(line["follow_up"], "new");
  server::exportConsultations(server.storage(), server::ExportFormat::kCsv, csv);
  EXPECT_NE(csv.str().find(r.id + ",Leeds,"), std::string::npos);
  EXPECT_NE(csv.str().find(",follow_up\r\n"), std::string::npos) << csv.str();
}

// An analyst's export says where head office stands with each client (the web application's
// downloads use the same lines): was, the status was only on the page.
TEST_P(ServerTest, ExportsCarryHeadOfficesFollowUpStatus) {
  const auto r = storedRecord("the photo");
  ASSERT_EQ(call("PUT", "/v1/consultations/" + r.id, r.toJson().dump()).status, 201);
  ASSERT_TRUE(server.storage().addFollowUp({true, {}}, r.id, "booked", "Booked for 12 Jan", "ana"));
  std::ostringstream jsonl, csv;
  server::exportConsultations(server.storage(), server::ExportFormat::kJsonl, jsonl);
  EXPECT_EQ(json::parse(jsonl.str())["follow_up"], "booked");
  server::exportConsultations(server.storage(), server::ExportFormat::kCsv, csv);
  const std::string text = csv.str();
  const auto row = text.find(r.id);
  ASSERT_NE(row, std::string::npos);
  EXPECT_EQ(text.substr(text.find("\r\n", row) - 7, 7), ",booked") << text;
  // The web application's batches (its filtered downloads) carry it too.
  server::ConsultationQuery everything;
  everything.scope.allClinics = true;
  const auto batch = server.storage().exportBatch(everything, "", "", 10);
  ASSERT_EQ(batch.size(), 1u);
  EXPECT_EQ(batch[0].followUp, "booked");
}

// The server's twin of fuzz_store_open's find: a negative user_version must be refused, not
// used as an index into the migrations.
TEST(SqliteServerStorage, RefusesANegativeSchemaVersion) {
  test::TempDir dir;
  {
    sqlite::Database db(dir / "ho.sqlite");
    db.setUserVersion(-1);
  }
  try {
    server::SqliteServerStorage storage(dir / "ho.sqlite");
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("impossible schema version (-1)"), std::string::npos);
  }
}

TEST(HttpClient, UnreachableServerIsANetworkError) {
  sync::HttpClient http({std::chrono::milliseconds(500), std::chrono::milliseconds(1000), "", ""});
  // Port 1 on loopback: nothing listens there, so the connect is refused at once.
  EXPECT_THROW(http.request("GET", "http://127.0.0.1:1/healthz", ""), sync::NetworkError);
}

// A key pair as a kiosk makes it (X25519), in the hex the endpoint takes.
std::pair<std::string, std::string> storeKeyPairHex() {
  unsigned char pub[crypto_box_PUBLICKEYBYTES], secret[crypto_box_SECRETKEYBYTES];
  EXPECT_EQ(sodium_init() < 0, false);
  crypto_box_keypair(pub, secret);
  char pubHex[65], secretHex[65];
  sodium_bin2hex(pubHex, sizeof pubHex, pub, sizeof pub);
  sodium_bin2hex(secretHex, sizeof secretHex, secret, sizeof secret);
  return {pubHex, secretHex};
}

TEST_P(ServerTest, AKiosksStoreKeyIsHeldOnceAndGivenBackOnlyToThatKiosk) {
  const auto [pub, secret] = storeKeyPairHex();
  const auto body = [](const std::string& p, const std::string& s) {
    return json{{"public_key", p}, {"secret_key", s}}.dump();
  };
  EXPECT_EQ(call("GET", "/v1/store-key").status, 404) << "nothing held yet";
  EXPECT_EQ(call("PUT", "/v1/store-key", body(pub, secret), "").status, 401);
  // Malformed or mismatched keys are refused with words, before anything is stored.
  EXPECT_EQ(call("PUT", "/v1/store-key", "{").status, 400);
  EXPECT_EQ(call("PUT", "/v1/store-key", body(pub, "zz")).status, 400);
  const auto [otherPub, otherSecret] = storeKeyPairHex();
  const auto mismatched = call("PUT", "/v1/store-key", body(pub, otherSecret));
  EXPECT_EQ(mismatched.status, 400);
  EXPECT_NE(mismatched.body.find("does not belong"), std::string::npos) << mismatched.body;
  EXPECT_EQ(call("PUT", "/v1/store-key", std::string(2000, ' ')).status, 413);

  ASSERT_EQ(call("PUT", "/v1/store-key", body(pub, secret)).status, 200);
  EXPECT_EQ(call("PUT", "/v1/store-key", body(pub, secret)).status, 200) << "idempotent";
  EXPECT_EQ(call("PUT", "/v1/store-key", body(otherPub, otherSecret)).status, 409)
      << "a held key is never replaced";
  const auto fetched = call("GET", "/v1/store-key");
  ASSERT_EQ(fetched.status, 200);
  EXPECT_EQ(json::parse(fetched.body)["secret_key"], secret);

  // Another kiosk gets only its own (none); a revoked kiosk gets nothing.
  const auto other = server.storage().addKiosk("York");
  EXPECT_EQ(call("GET", "/v1/store-key", {}, other.token).status, 404);
  ASSERT_TRUE(server.storage().revokeKiosk(kiosk.kioskId));
  EXPECT_EQ(call("GET", "/v1/store-key").status, 401);
}

}  // namespace
}  // namespace smp

namespace smp {
namespace {

// Was: a server stopped before its thread began listening (a quick start and stop, a failed
// start-up) left its bound socket listening, so clients connected and waited for an answer
// that never came (curl's full timeout) instead of being refused at once.
TEST(ServerLifecycle, AServerStoppedBeforeItRanReleasesItsPort) {
  for (int round = 0; round < 20; ++round) {
    int port = 0;
    { port = test::TestServer().port(); }
    const int sock = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const int connected = ::connect(sock, reinterpret_cast<sockaddr*>(&address), sizeof address);
    const int error = errno;
    ::close(sock);
    EXPECT_EQ(connected, -1) << "round " << round << ": port " << port << " still accepts";
    EXPECT_EQ(error, ECONNREFUSED);
  }
}

}  // namespace

INSTANTIATE_TEST_SUITE_P(Backends, ServerTest, test::allBackends(), test::backendName);

}  // namespace smp
