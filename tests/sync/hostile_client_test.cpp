// The head-office server against clients that mean harm (issue 10): each test first reproduced
// a crash, a hang, memory growth or a leak across kiosks, and now shows the clear 4xx instead.
// Raw sockets send what libcurl never would; the real libcurl client checks that kiosks still
// get through.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "sync/client/http_client.h"
#include "sync/protocol/consultation.h"
#include "sync/protocol/messages.h"
#include "sync/protocol/sha256.h"
#include "tests/support/raw_http.h"
#include "tests/support/sample_records.h"
#include "tests/support/test_server.h"

namespace smp {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

// Collects the server's log lines (written from its worker threads, after each answer is sent,
// so a test waits for the line it expects instead of assuming it is already there).
struct LogLines {
  std::mutex mutex;
  std::condition_variable added;
  std::vector<std::string> lines;
  std::vector<service::LogLevel> levels;  // of each line
  std::function<void(service::LogLevel, const std::string&)> sink() {
    return [this](service::LogLevel level, const std::string& line) {
      {
        std::lock_guard lock(mutex);
        lines.push_back(line);
        levels.push_back(level);
      }
      added.notify_all();
    };
  }
  std::vector<std::string> snapshot() {
    std::lock_guard lock(mutex);
    return lines;
  }
  // True once a line containing `text` has been logged, false after `timeout`.
  bool waitFor(const std::string& text, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex);
    return added.wait_for(lock, timeout, [&] {
      return std::any_of(lines.begin(), lines.end(),
                         [&](const std::string& l) { return l.find(text) != std::string::npos; });
    });
  }
};

class HostileClient : public ::testing::TestWithParam<test::Backend> {
 protected:
  explicit HostileClient(server::ServerOptions options = {})
      : server(
            [&] {
              options.log = log.sink();
              return options;
            }(),
            GetParam()) {}

  sync::HttpResponse call(const std::string& method, const std::string& path,
                          const std::string& body = {}, const std::string* token = nullptr) {
    return http.request(method, server.url() + path, token ? *token : kiosk.token, body,
                        method == "PUT" && path.rfind("/v1/blobs/", 0) == 0
                            ? "application/octet-stream"
                            : "application/json");
  }
  bool healthy() { return http.request("GET", server.url() + "/healthz", "").status == 200; }
  std::string rawExchange(const std::string& request, std::chrono::milliseconds timeout = 3s) {
    test::RawConnection c(server.port());
    EXPECT_TRUE(c.send(request));
    return c.readResponse(timeout);
  }
  std::string bearer() const { return "Authorization: Bearer " + kiosk.token + "\r\n"; }

  LogLines log;
  test::TestServer server;
  server::NewKiosk kiosk = server.storage().addKiosk("Leeds");
  sync::HttpClient http;
};

TEST_P(HostileClient, InvalidUtf8InAPathGetsA404AndTheServerKeepsServing) {
  // Was: the 404 handler's json::dump() threw on the byte 0xff and the process aborted.
  const std::string answer =
      rawExchange("GET /\xff\xfe/\xc3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(test::statusOf(answer), 404) << answer;
  const json body = json::parse(test::bodyOf(answer), nullptr, false);
  ASSERT_TRUE(body.is_object()) << "the refusal is valid JSON: " << answer;
  EXPECT_NE(body["error"].get<std::string>().find("no such endpoint"), std::string::npos);
  EXPECT_TRUE(healthy());
}

TEST_P(HostileClient, DeeplyNestedJsonIsRefusedBeforeItIsBuilt) {
  // Was: 128,000 nested arrays (under the 256 KiB record limit) overflowed the stack while the
  // record was copied, and the server died with SIGSEGV.
  const std::string photo = "photo-bytes";
  ASSERT_EQ(call("PUT", "/v1/blobs/" + protocol::sha256Hex(photo), photo).status, 200);
  auto r = test::recordNaming(photo);
  const std::size_t levels = 128'000;
  std::string text = r.toJson().dump();
  const std::string hole = "\"intake\":{}";
  text.replace(text.find(hole), hole.size(),
               "\"intake\":{\"x\":" + std::string(levels, '[') + std::string(levels, ']') + "}");
  ASSERT_LT(text.size(), protocol::kMaxRecordBytes);
  const auto deep = call("PUT", "/v1/consultations/" + r.id, text);
  EXPECT_EQ(deep.status, 400) << deep.body;
  EXPECT_NE(deep.body.find("deeper than 64"), std::string::npos) << deep.body;
  // The same with a heartbeat, and with a depth just over the limit.
  const auto beat = call("POST", "/v1/heartbeat", std::string(2000, '[') + std::string(2000, ']'));
  EXPECT_EQ(beat.status, 400) << beat.body;
  EXPECT_TRUE(healthy());
  // Nesting a real answer needs (the record at level 1, intake at 2) is still accepted.
  r.intake = json::object({{"x", json::parse(std::string(60, '[') + std::string(60, ']'))}});
  EXPECT_EQ(call("PUT", "/v1/consultations/" + r.id, r.toJson().dump()).status, 201);
}

TEST_P(HostileClient, ChunkedAndCompressedBodiesAreRefusedOnTheirHeaders) {
  // Was: the 32 MiB limit read only Content-Length, so a chunked body or a small gzip bomb was
  // held in memory (600 MB measured) before any token was checked.
  const std::string id = protocol::newUuid();
  test::RawConnection chunked(server.port());
  ASSERT_TRUE(chunked.send("PUT /v1/consultations/" + id + " HTTP/1.1\r\nHost: x\r\n" + bearer() +
                           "Transfer-Encoding: chunked\r\n\r\n100000\r\n" +
                           std::string(4096, '[')));
  const std::string a = chunked.readResponse(3s);
  EXPECT_EQ(test::statusOf(a), 411) << a;
  EXPECT_NE(a.find("Connection: close"), std::string::npos) << a;

  const std::string b =
      rawExchange("PUT /v1/consultations/" + id + " HTTP/1.1\r\nHost: x\r\n" + bearer() +
                  "Content-Encoding: gzip\r\nContent-Length: 20\r\n\r\n" + std::string(20, '\x1f'));
  EXPECT_EQ(test::statusOf(b), 415) << b;
  EXPECT_NE(b.find("uncompressed"), std::string::npos) << b;
  EXPECT_TRUE(healthy());
}

TEST_P(HostileClient, NoBodyIsReadBeforeTheTokenAndTheSizeAreChecked) {
  // Only the headers are sent: an answer within the timeout proves the server did not wait for
  // (or buffer) the bytes it was promised.
  const std::string sha = protocol::sha256Hex("x");
  const std::string noToken = rawExchange(
      "PUT /v1/blobs/" + sha + " HTTP/1.1\r\nHost: x\r\nContent-Length: 3000000\r\n\r\n");
  EXPECT_EQ(test::statusOf(noToken), 401) << noToken;
  const std::string tooBig =
      rawExchange("PUT /v1/consultations/" + protocol::newUuid() + " HTTP/1.1\r\nHost: x\r\n" +
                  bearer() + "Content-Length: 300000\r\n\r\n");
  EXPECT_EQ(test::statusOf(tooBig), 413) << tooBig;
  EXPECT_NE(tooBig.find("limit of 262144"), std::string::npos) << tooBig;
  const std::string junkLength =
      rawExchange("PUT /v1/consultations/" + protocol::newUuid() + " HTTP/1.1\r\nHost: x\r\n" +
                  bearer() + "Content-Length: 12abc\r\n\r\n");
  EXPECT_EQ(test::statusOf(junkLength), 400) << junkLength;
  EXPECT_TRUE(healthy());
}

TEST_P(HostileClient, LogLinesEscapeControlCharactersFromThePath) {
  // Was: %0A in a path wrote a second, forged line into the server's log.
  const std::string answer =
      rawExchange("GET /v1/x%0Asmp-server:%20kiosk%20revoked HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(test::statusOf(answer), 404);
  EXPECT_TRUE(log.waitFor("/v1/x\\x0asmp-server: kiosk revoked", 5s))
      << "the request is logged, escaped";
  for (const std::string& line : log.snapshot()) {
    EXPECT_EQ(line.find('\n'), std::string::npos) << line;
  }
}

// A storage whose every write fails the way a full disk does, with a detail that must stay in
// the log.
class BrokenDiskStorage : public server::SqliteServerStorage {
 public:
  using SqliteServerStorage::SqliteServerStorage;
  void recordHeartbeat(const server::KioskIdentity&, const nlohmann::json&) override {
    throw std::runtime_error("database or disk is full: /var/lib/smp-server/secret-path.sqlite");
  }
};

TEST(HostileClientErrors, InternalErrorsAnswerWithAnIdAndLogTheDetail) {
  test::TempDir dir;
  BrokenDiskStorage storage(dir / "ho.sqlite");
  const auto kiosk = storage.addKiosk("Leeds");
  LogLines log;
  server::ServerOptions options;
  options.log = log.sink();
  server::HeadOfficeServer server(storage, options);
  const int port = server.bind("127.0.0.1", 0);
  std::thread serving([&] { server.run(); });
  sync::HttpClient http;
  const auto r =
      http.request("POST", "http://127.0.0.1:" + std::to_string(port) + "/v1/heartbeat",
                   kiosk.token, protocol::Heartbeat{"1.0", 0, -1, 0, 1000}.toJson().dump());
  server.stop();
  serving.join();
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body.find("secret-path"), std::string::npos)
      << "no detail for the client: " << r.body;
  const json body = json::parse(r.body);
  const std::string id = body["error_id"];
  EXPECT_EQ(id.size(), 8u);
  bool logged = false;
  std::lock_guard lock(log.mutex);
  for (std::size_t i = 0; i < log.lines.size(); ++i) {
    if (log.lines[i].find(id) != std::string::npos &&
        log.lines[i].find("secret-path") != std::string::npos) {
      logged = true;
      EXPECT_EQ(log.levels[i], service::LogLevel::kError) << "journalctl -p err shows it";
    }
  }
  EXPECT_TRUE(logged) << "the operator finds the detail by the id";
}

TEST_P(HostileClient, UploadsAndPresenceBelongToTheKioskThatMadeThem) {
  // Was: any kiosk could ask whether a photo hash existed, and reset another kiosk's half-done
  // upload by declaring a different size.
  const auto other = server.storage().addKiosk("York");
  std::string blob(2u << 20, '\0');
  for (std::size_t i = 0; i < blob.size(); ++i) blob[i] = static_cast<char>(i * 7 % 253);
  const std::string sha = protocol::sha256Hex(blob);
  const std::string first = blob.substr(0, 1u << 20);
  const std::string size = "&size=" + std::to_string(blob.size());
  ASSERT_EQ(call("PUT", "/v1/blobs/" + sha + "?offset=0" + size, first).status, 202);

  auto otherState = call("GET", "/v1/blobs/" + sha, {}, &other.token);
  EXPECT_EQ(otherState.status, 404);
  EXPECT_EQ(json::parse(otherState.body)["received"], 0) << "another kiosk's progress is hidden";
  // The other kiosk declares another size: its own upload starts, ours is untouched.
  EXPECT_EQ(call("PUT", "/v1/blobs/" + sha + "?offset=0&size=" + std::to_string(blob.size() + 1),
                 first, &other.token)
                .status,
            202);
  EXPECT_EQ(json::parse(call("GET", "/v1/blobs/" + sha).body)["received"], 1u << 20);
  ASSERT_EQ(call("PUT", "/v1/blobs/" + sha + "?offset=" + std::to_string(1u << 20) + size,
                 blob.substr(1u << 20))
                .status,
            200);
  EXPECT_EQ(call("GET", "/v1/blobs/" + sha).status, 200);

  // Stored at head office, yet still absent for the other kiosk: presence reveals nothing.
  EXPECT_TRUE(server.storage().hasBlob(sha));
  EXPECT_EQ(call("GET", "/v1/blobs/" + sha, {}, &other.token).status, 404);
  auto r = test::recordNaming(blob);
  r.photos[0].size = blob.size();
  const auto claim = call("PUT", "/v1/consultations/" + r.id, r.toJson().dump(), &other.token);
  EXPECT_EQ(claim.status, 422) << "a record may name only bytes its own kiosk sent";
  // Sending the bytes itself gives the other kiosk its own claim on them.
  EXPECT_EQ(call("PUT", "/v1/blobs/" + sha, blob, &other.token).status, 200);
  EXPECT_EQ(call("PUT", "/v1/consultations/" + r.id, r.toJson().dump(), &other.token).status, 201);
}

TEST_P(HostileClient, TombstonesOnlyForIdsTheKioskOwns) {
  // Was: a kiosk could tombstone an id it never stored; the kiosk that owned it then got 410
  // and its record stayed pending forever.
  const auto other = server.storage().addKiosk("York");
  const std::string photo = "photo-a";
  ASSERT_EQ(call("PUT", "/v1/blobs/" + protocol::sha256Hex(photo), photo).status, 200);
  const auto mine = test::recordNaming(photo);
  ASSERT_EQ(call("PUT", "/v1/consultations/" + mine.id, mine.toJson().dump()).status, 201);
  EXPECT_EQ(call("DELETE", "/v1/consultations/" + mine.id, {}, &other.token).status, 409);

  const auto future = test::recordNaming(photo, 2);
  const auto early = call("DELETE", "/v1/consultations/" + future.id, {}, &other.token);
  EXPECT_EQ(early.status, 200) << "idempotent: nothing to erase";
  EXPECT_FALSE(server.storage().isErased(future.id));
  EXPECT_EQ(call("PUT", "/v1/consultations/" + future.id, future.toJson().dump()).status, 201);
  EXPECT_FALSE(server.storage().isErased(mine.id));
}

class HostileClientLimits : public HostileClient {
 protected:
  static server::ServerOptions tight() {
    server::ServerOptions o;
    o.connections.requestDeadline = 1500ms;
    o.connections.maxConnectionsPerAddress = 6;
    o.uploadQuota.maxUnfinishedUploads = 2;
    return o;
  }
  HostileClientLimits() : HostileClient(tight()) {}
};

class HostileClientRate : public HostileClient {
 protected:
  static server::ServerOptions slowRate() {
    server::ServerOptions o;
    o.kioskRate = {2.0, 4.0};
    return o;
  }
  HostileClientRate() : HostileClient(slowRate()) {}
};

TEST_P(HostileClientLimits, ARequestStillIncompleteAtItsDeadlineIsCut) {
  // Was: one header line every few seconds held a worker for as long as the client liked.
  test::RawConnection slow(server.port());
  ASSERT_TRUE(slow.send("GET /healthz HTTP/1.1\r\n"));
  const auto start = std::chrono::steady_clock::now();
  bool cut = false;
  for (int i = 0; i < 40 && !cut; ++i) {  // one line every 250 ms: each read is quick
    slow.readUntilClosed(250ms);
    cut = slow.closedByPeer() || !slow.send("X-Slow: " + std::to_string(i) + "\r\n");
  }
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(cut) << "the server closed the connection";
  EXPECT_LT(took, 5s) << "at its 1.5 s deadline, not when the client gave up";
  EXPECT_TRUE(healthy());
}

TEST_P(HostileClientLimits, ConnectionsOverTheCapAreTurnedAwayWith503) {
  // Six kept-alive connections, each proven admitted by a served request.
  std::vector<std::unique_ptr<test::RawConnection>> held;
  for (int i = 0; i < 6; ++i) {
    held.push_back(std::make_unique<test::RawConnection>(server.port()));
    ASSERT_TRUE(held.back()->send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
    ASSERT_EQ(test::statusOf(held.back()->readResponse(3s)), 200) << i;
  }
  const std::string seventh = rawExchange("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(test::statusOf(seventh), 503) << seventh;
  EXPECT_NE(seventh.find("Retry-After"), std::string::npos);
  held.clear();
  // Freed slots are given back (the server notices the closes on its own threads).
  bool served = false;
  for (int i = 0; i < 50 && !served; ++i) {
    served = test::statusOf(rawExchange("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 200ms)) == 200;
  }
  EXPECT_TRUE(served);
}

TEST_P(HostileClientRate, AKioskOverItsRateGets429WithRetryAfter) {
  int ok = 0, limited = 0;
  std::string retryAfter;
  for (int i = 0; i < 8; ++i) {
    const auto r = call("GET", "/v1/kiosk");
    if (r.status == 200) ++ok;
    if (r.status == 429) {
      ++limited;
      retryAfter = r.headers.at("retry-after");
    }
  }
  EXPECT_GE(ok, 4) << "the burst is served";
  EXPECT_GE(limited, 1);
  EXPECT_GE(std::stoi(retryAfter), 1);
  // Another kiosk has its own bucket.
  const auto other = server.storage().addKiosk("York");
  EXPECT_EQ(call("GET", "/v1/kiosk", {}, &other.token).status, 200);
}

TEST_P(HostileClientLimits, UnfinishedUploadsHaveAQuotaAndExpire) {
  auto start = [&](char fill) {
    const std::string blob(200'000, fill);
    return call(
        "PUT",
        "/v1/blobs/" + protocol::sha256Hex(blob) + "?offset=0&size=" + std::to_string(blob.size()),
        blob.substr(0, 100'000));
  };
  EXPECT_EQ(start('a').status, 202);
  EXPECT_EQ(start('b').status, 202);
  const auto third = start('c');
  EXPECT_EQ(third.status, 429) << third.body;
  EXPECT_NE(third.body.find("unfinished uploads"), std::string::npos);

  // A finished blob no record names, and one a record names.
  const std::string orphan = "orphan-bytes", kept = "kept-bytes";
  ASSERT_EQ(call("PUT", "/v1/blobs/" + protocol::sha256Hex(orphan), orphan).status, 200);
  ASSERT_EQ(call("PUT", "/v1/blobs/" + protocol::sha256Hex(kept), kept).status, 200);
  const auto r = test::recordNaming(kept);
  ASSERT_EQ(call("PUT", "/v1/consultations/" + r.id, r.toJson().dump()).status, 201);

  // Expire everything older than a minute from now.
  const auto future = std::chrono::system_clock::now() + std::chrono::minutes(1);
  const int gone = server.storage().expireUploads(
      std::chrono::duration_cast<std::chrono::seconds>(future.time_since_epoch()).count());
  EXPECT_EQ(gone, 3) << "two partial chunks and the orphan blob";
  EXPECT_FALSE(server.storage().hasBlob(protocol::sha256Hex(orphan)));
  EXPECT_TRUE(server.storage().hasBlob(protocol::sha256Hex(kept)));
  EXPECT_EQ(start('c').status, 202) << "the quota is free again";
}

}  // namespace

INSTANTIATE_TEST_SUITE_P(Backends, HostileClient, test::allBackends(), test::backendName);
INSTANTIATE_TEST_SUITE_P(Backends, HostileClientLimits, test::allBackends(), test::backendName);
INSTANTIATE_TEST_SUITE_P(Backends, HostileClientRate, test::allBackends(), test::backendName);

}  // namespace smp
