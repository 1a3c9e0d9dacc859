// The real kiosk (store, outbox, libcurl client) against a head office under attack and against
// a hostile "head office" (issue 10): slow connections do not lock kiosks out, a rate limit never
// quarantines a record, and no answer can crash the kiosk or grow its memory without limit.
#include <gtest/gtest.h>
#include <httplib.h>

#include <thread>

#include "app/core/kiosk_commands.h"
#include "app/core/store_outbox.h"
#include "sync/client/http_client.h"
#include "sync/client/sync_client.h"
#include "sync/protocol/sha256.h"
#include "tests/support/raw_http.h"
#include "tests/support/sample_records.h"
#include "tests/support/test_server.h"

namespace smp::core {
namespace {

using namespace std::chrono_literals;

class HostileNetwork : public ::testing::Test {
 protected:
  explicit HostileNetwork(server::ServerOptions options = {}) : server(std::move(options)) {
    ensureDataDir(data.path());
    store = std::make_unique<store::KioskStore>(databasePath(data.path()));
    const auto k = server.storage().addKiosk("Leeds");
    enroll(*store, server.url(), k.token);
  }

  protocol::ConsultationRecord save(const std::string& name, const std::string& photo) {
    return store->save(test::consultationToSave(name, photo));
  }
  sync::SyncReport sync() { return syncOnce(data.path(), endpointFor(*store, "")); }

  test::TempDir data;
  test::TestServer server;
  std::unique_ptr<store::KioskStore> store;
};

TEST_F(HostileNetwork, SixtyFourSlowConnectionsLeaveRoomForHealthAndARealKiosk) {
  // Was: eight connections sending a header line every few seconds took every worker thread.
  std::vector<std::unique_ptr<test::RawConnection>> slow;
  for (int i = 0; i < 64; ++i) {
    slow.push_back(std::make_unique<test::RawConnection>(server.port()));
    ASSERT_TRUE(slow.back()->send("GET /healthz HTTP/1.1\r\nHost: x\r\n"));
  }
  for (auto& c : slow) ASSERT_TRUE(c->send("X-Still-Typing: 1\r\n"));

  sync::HttpClient http;
  EXPECT_EQ(http.request("GET", server.url() + "/healthz", "").status, 200);
  save("Ana", "photo-ana");
  save("Ben", "photo-ben");
  const auto report = sync();
  EXPECT_EQ(report.outcome, sync::PassOutcome::kAllAcknowledged) << report.message;
  EXPECT_EQ(store->status().pending, 0);
  for (auto& c : slow) {  // still held, neither answered nor dropped
    EXPECT_TRUE(c->readUntilClosed(std::chrono::milliseconds(1)).empty());
    EXPECT_FALSE(c->closedByPeer());
  }
}

class RateLimitedHeadOffice : public HostileNetwork {
 protected:
  static server::ServerOptions limited() {
    server::ServerOptions o;
    o.kioskRate = {0.01, 2.0};  // two requests, then one every 100 s
    return o;
  }
  RateLimitedHeadOffice() : HostileNetwork(limited()) {}
};

TEST_F(RateLimitedHeadOffice, TooManyRequestsIsNotARefusalAndNeverQuarantines) {
  // Was: any 4xx but 401 counted as the record's fault; five 429s quarantined a good record.
  save("Ana", "photo-ana");
  for (int pass = 0; pass < store::kMaxRefusals + 2; ++pass) {
    const auto report = sync();
    EXPECT_NE(report.outcome, sync::PassOutcome::kAllAcknowledged);
    EXPECT_EQ(report.quarantined, 0) << "pass " << pass << ": " << report.message;
  }
  EXPECT_EQ(store->status().quarantined, 0);
  EXPECT_EQ(store->status().pending, 1) << "still waiting, to be sent when head office allows";
}

// A "head office" that answers with whatever a test wants: a compromised server, or anything in
// the middle of plain HTTP.
class HostileHeadOffice {
 public:
  explicit HostileHeadOffice(std::function<void(httplib::Response&)> answer) {
    m_http.Get(".*", [answer](const httplib::Request&, httplib::Response& res) { answer(res); });
    m_port = m_http.bind_to_any_port("127.0.0.1");
    m_thread = std::thread([this] { m_http.listen_after_bind(); });
  }
  ~HostileHeadOffice() {
    while (!m_http.is_running()) std::this_thread::yield();
    m_http.stop();
    m_thread.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }

 private:
  httplib::Server m_http;
  int m_port = 0;
  std::thread m_thread;
};

TEST(HostileHeadOfficeTest, ADeeplyNestedOrHugeConfigLeavesTheKioskRunningAndItsConfigKept) {
  test::TempDir data;
  ensureDataDir(data.path());
  StoreOutbox outbox(databasePath(data.path()));
  const std::string good = R"({"languages":["en"]})";
  outbox.storeConfig(nlohmann::json::parse(good), "\"v1\"");

  // Was: 128,000 nested arrays in /v1/config overflowed the kiosk's stack.
  HostileHeadOffice deep([](httplib::Response& res) {
    res.set_header("ETag", "\"evil\"");
    res.set_content(std::string(128'000, '[') + std::string(128'000, ']'), "application/json");
  });
  sync::SyncClient toDeep({deep.url(), "token", "", ""});
  EXPECT_EQ(toDeep.pullConfig(outbox), sync::ConfigPull::kFailed);

  // Was: the kiosk buffered any answer whole; 64 MB of it now ends the request at 2 MiB.
  HostileHeadOffice huge([](httplib::Response& res) {
    res.set_header("ETag", "\"huge\"");
    res.set_content(std::string(64u << 20, ' '), "application/json");
  });
  sync::SyncClient toHuge({huge.url(), "token", "", ""});
  EXPECT_EQ(toHuge.pullConfig(outbox), sync::ConfigPull::kFailed);
  sync::HttpClient http;
  try {
    http.request("GET", huge.url() + "/v1/config", "token");
    ADD_FAILURE() << "an answer over the limit is an error";
  } catch (const sync::NetworkError& e) {
    EXPECT_NE(std::string(e.what()).find("over the limit"), std::string::npos) << e.what();
  }
  EXPECT_EQ(outbox.configEtag(), "\"v1\"") << "the good config stays";
}

}  // namespace
}  // namespace smp::core
