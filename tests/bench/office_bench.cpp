// The head-office web application's queries over 100,000 consultations from 40 kiosks in 10
// clinics (loaded straight into storage, as the sync API would store them): a page of the table
// unfiltered, by clinic, flagged only, searched by name, far down the list, by follow-up status,
// an export batch, and the Overview. One record in ten has a follow-up change. Targets (issue 13):
// a filtered page <= 150 ms, the Overview <= 300 ms.
//   ./build/bench/tests/bench/office_bench [--records=N]
#include <benchmark/benchmark.h>

#include <memory>

#include "sync/protocol/consultation.h"
#include "sync/server/sqlite_server_storage.h"
#include "tests/support/temp_dir.h"

namespace smp::server {
namespace {

constexpr int kRecords = 100'000;
constexpr int kKiosks = 40;

struct Fixture {
  test::TempDir dir;
  std::unique_ptr<SqliteServerStorage> storage;
  std::vector<KioskIdentity> kiosks;

  Fixture() : storage(std::make_unique<SqliteServerStorage>(dir / "head-office.sqlite")) {
    for (int k = 0; k < kKiosks; ++k) {
      const std::string clinic = "Clinic " + std::to_string(k % 10);
      const NewKiosk added = storage->addKiosk(clinic);
      kiosks.push_back({added.kioskId, clinic});
    }
    const char* stages[] = {"norwood-2", "norwood-3", "norwood-4", "norwood-5", "ludwig-2"};
    const char* concerns[] = {"pattern-baldness", "diffuse-thinning", "alopecia", "scar"};
    for (int i = 0; i < kRecords; ++i) {
      protocol::ConsultationRecord r;
      r.id = protocol::newUuid();
      r.kioskSeq = i / kKiosks + 1;
      r.revision = 1;
      const int day = i % 365;
      char created[32];
      std::snprintf(created, sizeof created, "2026-%02d-%02dT%02d:%02d:00Z", 1 + day / 31 % 12,
                    1 + day % 28, 8 + i % 10, i % 60);
      r.createdAt = created;
      r.clientName = "Client " + std::to_string(i);
      r.concern = concerns[i % 4];
      r.intake = {{"phone", "+44 7700 " + std::to_string(100000 + i)},
                  {"email", "client" + std::to_string(i) + "@example.com"},
                  {"loss_stage", stages[i % 5]},
                  {"health_flags",
                   i % 7 == 0 ? nlohmann::json::array({"keloid"}) : nlohmann::json::array()},
                  {"notes", std::string(600, 'n')}};
      r.consentTextSha256 = std::string(64, 'a');
      r.consentedAt = r.createdAt;
      std::string receivedAt;
      storage->putConsultation(kiosks[static_cast<std::size_t>(i % kKiosks)], r.id, r.kioskSeq, 1,
                               r.contentSha256(), r.toJson().dump(), {}, receivedAt);
      if (i % 10 == 0) {
        const char* steps[] = {"contacted", "booked", "treated", "not_interested"};
        storage->addFollowUp({true, {}}, r.id, steps[i / 10 % 4], "Called; see the notes.",
                             "bench");
      }
    }
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

ClinicScope everyone() { return {true, {}}; }

void BM_TablePage(benchmark::State& state) {
  auto& f = fixture();
  ConsultationQuery q;
  q.scope = everyone();
  switch (state.range(0)) {
    case 1:
      q.clinic = "Clinic 3";
      break;
    case 2:
      q.flaggedOnly = true;
      break;
    case 3:
      q.text = "client 4242";
      break;
    case 4:
      q.page = 1000;  // rows 49,951-50,000
      break;
    case 5:
      q.scope = {false, {"Clinic 3", "Clinic 4"}};  // a clinic manager
      q.fromDate = "2026-03-01";
      q.toDate = "2026-03-31";
      break;
    case 6:
      q.followUp = "booked";
      break;
    default:
      break;
  }
  for (auto _ : state) benchmark::DoNotOptimize(f.storage->consultations(q));
}
BENCHMARK(BM_TablePage)
    ->Arg(0)
    ->Arg(1)
    ->Arg(2)
    ->Arg(3)
    ->Arg(4)
    ->Arg(5)
    ->Arg(6)
    ->ArgName("0all_1clinic_2flagged_3search_4deep_5manager_month_6booked")
    ->Unit(benchmark::kMillisecond);

void BM_ExportBatch(benchmark::State& state) {
  auto& f = fixture();
  ConsultationQuery q;
  q.scope = everyone();
  for (auto _ : state) benchmark::DoNotOptimize(f.storage->exportBatch(q, "2026-06-01", "", 500));
}
BENCHMARK(BM_ExportBatch)->Unit(benchmark::kMillisecond);

void BM_Overview(benchmark::State& state) {
  auto& f = fixture();
  for (auto _ : state) {
    benchmark::DoNotOptimize(f.storage->overview(everyone(), "2026-01-01", "2026-12-31"));
  }
}
BENCHMARK(BM_Overview)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace smp::server

BENCHMARK_MAIN();
