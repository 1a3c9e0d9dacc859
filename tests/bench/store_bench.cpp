// What sealing at rest costs the kiosk: saving a consultation (record and photos sealed), the
// first records list after a restart with the key (every record opened once), the same list
// again (from memory), and opening a 300 KB photo.
//   ./build/bench/tests/bench/store_bench
#include <benchmark/benchmark.h>

#include <filesystem>
#include <memory>

#include "app/store/kiosk_store.h"
#include "sync/protocol/sha256.h"
#include "tests/support/temp_dir.h"

namespace smp::store {
namespace {

BlobData blob(const std::string& role, std::size_t bytes, std::uint8_t seed) {
  BlobData b;
  b.bytes.resize(bytes);
  for (std::size_t i = 0; i < bytes; ++i) b.bytes[i] = static_cast<std::uint8_t>(i * 31 + seed);
  b.ref = {role, protocol::sha256Hex(b.bytes), b.bytes.size(), "image/jpeg"};
  return b;
}

// A consultation as the kiosk saves it: answers of a few KB and a 300 KB photo.
ConsultationToSave consultation(int i) {
  ConsultationToSave c;
  c.blobs = {blob("front", 300 * 1024, static_cast<std::uint8_t>(i))};
  c.record.createdAt = "2026-12-01T10:00:00Z";
  c.record.clientName = "Client " + std::to_string(i);
  c.record.concern = "pattern-baldness";
  c.record.intake = {{"phone", "+44 7700 900" + std::to_string(100 + i % 900)},
                     {"notes", std::string(2000, 'n')},
                     {"health_flags", nlohmann::json::array({"keloid"})}};
  c.record.consentTextSha256 = protocol::sha256Hex("consent");
  c.record.consentedAt = c.record.createdAt;
  c.record.photos = {c.blobs[0].ref};
  return c;
}

void BM_SaveSealed(benchmark::State& state) {
  test::TempDir dir;
  KioskStore store(dir / "k.sqlite");
  int i = 0;
  for (auto _ : state) store.save(consultation(i++));
}
BENCHMARK(BM_SaveSealed)->Unit(benchmark::kMillisecond);

// The staff records list over `records` sealed records: the first list after a restart (the key
// in hand) opens each one; later lists come from memory unless a record changed.
void BM_RecordsList(benchmark::State& state) {
  const bool firstAfterRestart = state.range(1) != 0;
  test::TempDir dir;
  const auto path = dir / "k.sqlite";
  {
    KioskStore store(path);
    for (int i = 0; i < state.range(0); ++i) {
      auto c = consultation(i);
      c.blobs[0] = blob("front", 16, static_cast<std::uint8_t>(i));  // the list never reads photos
      c.record.photos = {c.blobs[0].ref};
      store.save(std::move(c));
    }
  }
  KioskStore store(path);
  store.listConsultations({});
  for (auto _ : state) {
    if (firstAfterRestart) {
      state.PauseTiming();
      auto fresh = std::make_unique<KioskStore>(path);
      state.ResumeTiming();
      benchmark::DoNotOptimize(fresh->listConsultations({}));
      state.PauseTiming();
      fresh.reset();
      state.ResumeTiming();
    } else {
      benchmark::DoNotOptimize(store.listConsultations({}));
    }
  }
}
BENCHMARK(BM_RecordsList)
    ->ArgsProduct({{1000}, {1, 0}})
    ->ArgNames({"records", "first"})
    ->Unit(benchmark::kMillisecond);

void BM_OpenSealedPhoto(benchmark::State& state) {
  test::TempDir dir;
  KioskStore store(dir / "k.sqlite");
  const auto saved = store.save(consultation(1));
  for (auto _ : state) benchmark::DoNotOptimize(store.loadBlob(saved.photos[0].sha256));
}
BENCHMARK(BM_OpenSealedPhoto)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace smp::store

BENCHMARK_MAIN();
