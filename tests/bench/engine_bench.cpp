// Engine speed: placement rate and a full 1280x960 preview (placement + compositing).
#include <benchmark/benchmark.h>

#include "app/core/head_guide.h"
#include "app/core/sample_portrait.h"
#include "engine/preview.h"

namespace {

using namespace smp;

void BM_Placement(benchmark::State& state) {
  engine::PlacementRequest r;
  r.width = r.height = static_cast<int>(state.range(0));
  r.maxDensityPerPx2 = 1.0 / 64.0;  // 8 px/mm at 100 per cm2
  r.density = [](double, double) { return 1.0 / 64.0; };
  std::size_t points = 0;
  for (auto _ : state) {
    ++r.seed;
    const auto pts = engine::placePoints(r);
    points += pts.size();
    benchmark::DoNotOptimize(pts.data());
  }
  state.counters["points/s"] =
      benchmark::Counter(static_cast<double>(points), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Placement)->Arg(1024)->Unit(benchmark::kMillisecond);

void BM_Preview1280x960(benchmark::State& state) {
  const auto photo = core::samplePortrait(1280, 960, 3, 1);
  const auto guide = core::defaultGuide(1280, 960);
  const auto mask = core::scalpMask(guide, 1280, 960);
  engine::PreviewParams p;
  p.hairline = engine::HairlineStyle::kSoft;
  p.pxPerMm = core::pxPerMmFromGuide(guide);
  p.hairlinePlacement = core::hairlineFromGuide(guide);
  std::size_t dots = 0;
  for (auto _ : state) {
    ++p.seed;
    const auto result = engine::renderPreview({&photo, &mask, nullptr}, p);
    dots = result.dots.size();
    benchmark::DoNotOptimize(result.image.pixels.data());
  }
  state.counters["dots"] = static_cast<double>(dots);
}
BENCHMARK(BM_Preview1280x960)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
