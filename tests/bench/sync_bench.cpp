// Store and sync figures (a bench program that prints them; not a test):
//  1. save of one consultation with 4 photos of 300 KB (one SQLite transaction, synchronous=FULL);
//  2. sync of N consultations x 4 photos of 300 KB over loopback to a real server;
//  3. server photo uploads per second with 1, 8, 32 and 128 concurrent kiosks, p50 and p99
//     latency, beside this machine's sha256 speed (the ceiling: the server hashes every byte);
//  4. small record uploads per second (a consultation naming one photo already uploaded) with
//     1, 8, 32 and 128 concurrent kiosks, p50 and p99.
// 2-4 run on SQLite, on PostgreSQL (a cluster of its own, fsync on like SQLite's), and 3-4 on
// two servers sharing that PostgreSQL database and blob folder (kiosks alternate between them).
// Usage: sync_bench [CONSULTATIONS] [sqlite|postgresql] [records|sync] (default 1000, both
// backends, every part; "records" runs only the small-record part, "sync" only 1 and 2, for
// profiling)
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "app/core/kiosk_commands.h"
#include "sync/client/http_client.h"
#include "sync/protocol/sha256.h"
#include "tests/support/postgres_cluster.h"
#include "tests/support/test_server.h"

namespace {

using namespace smp;
using Clock = std::chrono::steady_clock;

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

store::BlobData photo(std::uint64_t seed) {
  store::BlobData b;
  b.bytes.resize(300 * 1024);
  std::uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
  for (auto& byte : b.bytes) {  // incompressible, like JPEG
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    byte = static_cast<std::uint8_t>(x);
  }
  b.ref = {"front", protocol::sha256Hex(b.bytes), b.bytes.size(), "image/jpeg"};
  return b;
}

store::ConsultationToSave consultation(std::uint64_t n) {
  store::ConsultationToSave c;
  for (int i = 0; i < 4; ++i) {
    c.blobs.push_back(photo(n * 4 + static_cast<std::uint64_t>(i)));
    c.blobs.back().ref.role = i == 0 ? "front" : (i == 1 ? "top" : (i == 2 ? "left" : "right"));
  }
  c.record.createdAt = "2026-11-21T10:00:00Z";
  c.record.clientName = "Bench " + std::to_string(n);
  c.record.concern = "diffuse-thinning";
  c.record.consentTextSha256 = protocol::sha256Hex("consent");
  c.record.consentedAt = c.record.createdAt;
  for (const auto& b : c.blobs) c.record.photos.push_back(b.ref);
  return c;
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

// One line of a concurrency run: requests a second over the whole run, and each request's
// latency percentiles.
void printConcurrency(int kiosks, const char* what,
                      const std::vector<std::vector<double>>& latencies, Clock::time_point start,
                      int failures) {
  const double seconds = ms(Clock::now() - start) / 1000.0;
  std::vector<double> all;
  for (const auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::printf("%3d concurrent kiosks: %.0f %s, p50 %.1f ms, p99 %.1f ms, %d failed\n", kiosks,
              static_cast<double>(all.size()) / seconds, what, percentile(all, 0.5),
              percentile(all, 0.99), failures);
}

// 1 and 2: a kiosk saves `count` consultations, then sends them all to `server`.
void saveAndSync(const char* label, test::TestServer& server, int count) {
  test::TempDir data;
  core::ensureDataDir(data.path());
  store::KioskStore store(core::databasePath(data.path()));
  core::enroll(store, server.url(), server.storage().addKiosk("Bench").token);
  std::vector<double> saveMs;
  for (int i = 0; i < count; ++i) {
    auto c = consultation(static_cast<std::uint64_t>(i));
    const auto t0 = Clock::now();
    store.save(std::move(c));
    saveMs.push_back(ms(Clock::now() - t0));
  }
  std::printf("[%s] save, 1 consultation + 4 photos of 300 KB: p50 %.1f ms, p99 %.1f ms (%d)\n",
              label, percentile(saveMs, 0.5), percentile(saveMs, 0.99), count);
  const auto t0 = Clock::now();
  const auto report = core::syncOnce(data.path(), core::endpointFor(store, ""));
  const double seconds = ms(Clock::now() - t0) / 1000.0;
  std::printf(
      "[%s] sync of %d consultations x 4 photos of 300 KB: %.1f s, %.1f consultations/s, "
      "%.0f MB/s (%s)\n",
      label, count, seconds, count / seconds, static_cast<double>(report.bytesSent) / 1e6 / seconds,
      report.message.c_str());
}

// 3 and 4: concurrent kiosks, kiosk k talking to urls[k % urls.size()].
bool g_recordsOnly = false;
bool g_syncOnly = false;

void concurrency(const char* label, server::ServerStorage& storage,
                 const std::vector<std::string>& urls) {
  if (g_syncOnly) return;
  const auto urlOf = [&](int k) { return urls[static_cast<std::size_t>(k) % urls.size()]; };
  for (int kiosks : {1, 8, 32, 128}) {
    if (g_recordsOnly) break;
    std::vector<std::string> tokens;
    for (int k = 0; k < kiosks; ++k) tokens.push_back(storage.addKiosk("Bench").token);
    constexpr int kPerKiosk = 24;
    std::vector<std::vector<double>> latencies(static_cast<std::size_t>(kiosks));
    std::atomic<int> failures{0};
    const auto start = Clock::now();
    std::vector<std::thread> threads;
    for (int k = 0; k < kiosks; ++k) {
      threads.emplace_back([&, k] {
        sync::HttpClient http;
        for (int i = 0; i < kPerKiosk; ++i) {
          // Different bytes in every run and on every backend: nothing is already there.
          const auto b = photo(static_cast<std::uint64_t>(getpid()) * 1'000'000u +
                               static_cast<std::uint64_t>(kiosks * 1000 + k * kPerKiosk + i) +
                               std::hash<std::string>{}(label));
          const auto t = Clock::now();
          const auto r = http.request(
              "PUT", urlOf(k) + "/v1/blobs/" + b.ref.sha256, tokens[static_cast<std::size_t>(k)],
              std::string(b.bytes.begin(), b.bytes.end()), "application/octet-stream");
          latencies[static_cast<std::size_t>(k)].push_back(ms(Clock::now() - t));
          if (r.status != 200) ++failures;
        }
      });
    }
    for (auto& t : threads) t.join();
    std::printf("[%s] ", label);
    printConcurrency(kiosks, "uploads/s of 300 KB", latencies, start, failures.load());
  }

  // Small records: what a busy chain's kiosks send most.
  const protocol::ConsultationRecord base = consultation(0).record;
  for (int kiosks : {1, 8, 32, 128}) {
    constexpr int kPerKiosk = 40;
    std::vector<std::vector<double>> latencies(static_cast<std::size_t>(kiosks));
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    std::vector<server::NewKiosk> made;
    for (int k = 0; k < kiosks; ++k) made.push_back(storage.addKiosk("Bench"));
    const auto start = Clock::now();
    for (int k = 0; k < kiosks; ++k) {
      threads.emplace_back([&, k] {
        const auto& me = made[static_cast<std::size_t>(k)];
        sync::HttpClient http;
        const std::string photo = "small record photo " + me.kioskId;
        if (http.request("PUT", urlOf(k) + "/v1/blobs/" + protocol::sha256Hex(photo), me.token,
                         photo, "application/octet-stream")
                .status != 200) {
          ++failures;
          return;
        }
        for (int i = 0; i < kPerKiosk; ++i) {
          auto record = base;
          record.id = protocol::newUuid();
          record.kioskSeq = i + 1;
          record.photos = {{"front", protocol::sha256Hex(photo), photo.size(), "image/jpeg"}};
          const std::string body = record.toJson().dump();
          const auto t = Clock::now();
          const auto r =
              http.request("PUT", urlOf(k) + "/v1/consultations/" + record.id, me.token, body);
          latencies[static_cast<std::size_t>(k)].push_back(ms(Clock::now() - t));
          if (r.status != 201) ++failures;
        }
      });
    }
    for (auto& t : threads) t.join();
    std::printf("[%s] ", label);
    printConcurrency(kiosks, "record uploads/s", latencies, start, failures.load());
  }
}

}  // namespace

int main(int argc, char** argv) {
  const int count = argc > 1 ? std::atoi(argv[1]) : 1000;
  const std::string only = argc > 2 ? argv[2] : "";
  const std::string part = argc > 3 ? argv[3] : "";
  if (!part.empty() && part != "records" && part != "sync") {
    std::fprintf(stderr, "sync_bench: the part to run is \"records\" or \"sync\", not \"%s\"\n",
                 part.c_str());
    return 2;
  }
  g_recordsOnly = part == "records";
  g_syncOnly = part == "sync";
  {
    std::string block(64u << 20, 'x');
    const auto h0 = Clock::now();
    const std::string digest = protocol::sha256Hex(block);
    std::printf("sha256 on this machine: %.0f MB/s (the ceiling for photo uploads; %s...)\n",
                static_cast<double>(block.size()) / 1e6 / (ms(Clock::now() - h0) / 1000.0),
                digest.substr(0, 8).c_str());
  }
  if (only.empty() || only == "sqlite") {
    test::TestServer server;
    if (!g_recordsOnly) saveAndSync("SQLite", server, count);
    concurrency("SQLite", server.storage(), {server.url()});
  }
  if (only.empty() || only == "postgresql") {
    // A cluster of its own with fsync on, so PostgreSQL pays for its flushes as SQLite does.
    const std::string folder = "/tmp/smp-bench-pg-" + std::to_string(getpid());
    test::startPostgresCluster(folder, {.durable = true, .maxConnections = 300});
    setenv("SMP_TEST_POSTGRES", folder.c_str(), 1);
    {
      test::TestServer server(test::Backend::kPostgres);
      if (!g_recordsOnly) saveAndSync("PostgreSQL", server, count);
      concurrency("PostgreSQL", server.storage(), {server.url()});
      if (!g_syncOnly) {
        test::TestServer second(server, {});
        concurrency("PostgreSQL, 2 servers", server.storage(), {server.url(), second.url()});
      }
    }
    test::stopPostgresCluster(folder);
  }
  return 0;
}
