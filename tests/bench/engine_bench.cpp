// Engine speed (Google Benchmark): placement rate, the kiosk's live preview at 1280x960, and a
// 12-megapixel photo at full resolution. Figures go in closing notes and docs/engine.md.
#include <benchmark/benchmark.h>

#include <vector>

#include "app/core/head_guide.h"
#include "app/core/sample_portrait.h"
#include "app/vision/photo_analysis.h"
#include "engine/preview.h"
#include "engine/shaved_base.h"

namespace {

using namespace smp;

// Placement alone over a full-coverage window: the rate of impressions produced.
void BM_Placement(benchmark::State& state) {
  const int side = static_cast<int>(state.range(0));
  engine::PlacementRequest r;
  r.field.width = r.field.height = side;
  r.x1 = r.y1 = side;
  r.pxPerMm = 4;
  r.densityPerMm2 = 1.0;
  std::size_t points = 0;
  for (auto _ : state) {
    ++r.seed;
    const auto pts = engine::placePoints(r);
    points += pts.size();
    benchmark::DoNotOptimize(pts.data());
  }
  state.counters["points/s"] =
      benchmark::Counter(static_cast<double>(points), benchmark::Counter::kIsRate);
  state.counters["points"] = static_cast<double>(points) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_Placement)->Arg(1024)->Arg(2048)->Unit(benchmark::kMicrosecond);

struct Scene {
  engine::RgbImage photo;
  engine::GrayImage mask;
  engine::PreviewParams params;
};

Scene scene(int w, int h) {
  Scene s;
  s.photo = core::samplePortrait(w, h, 3, 1);
  const auto guide = core::defaultGuide(w, h);
  s.mask = engine::proposeScalp(s.photo, guide).mask;
  s.params.hairline = engine::HairlineStyle::kSoft;
  s.params.pxPerMm = engine::pxPerMmFromHead(guide);
  s.params.hairlinePlacement = engine::hairlineFromHead(guide);
  return s;
}

// The live preview: placement, rendering and compositing on one core.
void BM_Preview(benchmark::State& state) {
  Scene s = scene(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
  s.params.densityPerCm2 = static_cast<double>(state.range(2));
  // range(3) == 0: the whole scalp ellipse at full density (no hairline fade): ~20k dots at
  // 1280x960, the reference load.
  if (state.range(3) == 0) s.params.hairline = engine::HairlineStyle::kNone;
  std::size_t dots = 0;
  for (auto _ : state) {
    ++s.params.seed;
    const auto result = engine::renderPreview({&s.photo, &s.mask, nullptr}, s.params);
    dots = result.dots.size();
    benchmark::DoNotOptimize(result.image.pixels.data());
  }
  state.counters["dots"] = static_cast<double>(dots);
}
BENCHMARK(BM_Preview)
    ->ArgNames({"w", "h", "per_cm2", "hairline"})
    ->Args({1280, 960, 100, 1})
    ->Args({1280, 960, 100, 0})
    ->Args({1280, 960, 160, 0})
    ->Args({4000, 3000, 100, 0})
    ->Unit(benchmark::kMillisecond);

// The kiosk's own path (core::PreviewRenderer) on a mannequin with hair: the automatic pipeline
// once per photo (face, segmentation, shaved base, first render with tone calibration), then
// live updates with all of that cached, as when a finger drags a hairline handle.
struct KioskScene {
  engine::RgbImage photo;
  engine::HeadEllipse guide;
};

// The third argument, when given: 1 for "keep my hair", 0 for the buzz.
engine::PreviewMode modeOf(const benchmark::State& state) {
  return state.range(2) ? engine::PreviewMode::kKeepHair : engine::PreviewMode::kBuzz;
}

KioskScene kioskScene(int w, int h) {
  return {core::samplePortraitWithHair(w, h, 3, 7, {38, 30, 26, 3}), core::defaultGuide(w, h)};
}

void BM_AutomaticPipeline(benchmark::State& state) {
  const KioskScene s =
      kioskScene(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
  engine::PreviewParams p;
  p.hairline = engine::HairlineStyle::kSoft;
  p.mode = modeOf(state);
  for (auto _ : state) {
    const auto result = vision::renderAutomaticPreview(s.photo, s.guide, p);
    benchmark::DoNotOptimize(result.image.pixels.data());
  }
}
BENCHMARK(BM_AutomaticPipeline)
    ->ArgNames({"w", "h", "keep_hair"})
    ->Args({1280, 960, 0})
    ->Args({1280, 960, 1})
    ->Unit(benchmark::kMillisecond);

// The top (crown) photo's once-per-photo work, with the skin learnt from the front photo
// beforehand (the kiosk has analysed the front by then).
void BM_AutomaticTopPipeline(benchmark::State& state) {
  const int w = static_cast<int>(state.range(0)), h = static_cast<int>(state.range(1));
  const KioskScene front = kioskScene(w, h);
  const engine::RgbImage top = core::sampleTopOfHead(w, h, 3, 7, {38, 30, 26, 3});
  const vision::SkinModel skin =
      vision::analysePhoto(vision::sharedFaceFinder(), front.photo, front.guide).skin;
  engine::PreviewParams p;
  p.hairline = engine::HairlineStyle::kSoft;
  for (auto _ : state) {
    const auto result = vision::renderAutomaticTopPreview(top, front.guide, skin, p);
    benchmark::DoNotOptimize(result.image.pixels.data());
  }
}
BENCHMARK(BM_AutomaticTopPipeline)
    ->ArgNames({"w", "h"})
    ->Args({1280, 960})
    ->Unit(benchmark::kMillisecond);

void BM_LiveUpdate(benchmark::State& state) {
  const KioskScene s =
      kioskScene(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
  const vision::PhotoAnalysis a =
      vision::analysePhoto(vision::sharedFaceFinder(), s.photo, s.guide);
  engine::PreviewParams p;
  p.hairline = engine::HairlineStyle::kSoft;
  p.mode = modeOf(state);
  const engine::ShavedBase base = engine::makeShavedBase(s.photo, a.analysis, p.mode);
  engine::PreviewInput in;
  in.photo = &s.photo;
  in.analysis = &a.analysis;
  in.base = &base;
  const engine::PreviewResult first = engine::renderPreview(in, p);
  p.inkStrength = first.inkStrength;  // as the renderer passes it back
  std::vector<engine::ControlPoint> controls = first.hairline.controls;
  int step = 0;
  for (auto _ : state) {
    // The middle handle moves a pixel up or down each update, as under a dragging finger.
    controls[controls.size() / 2].y += (step++ % 2) ? 1 : -1;
    p.hairlineControls = controls;
    const auto result = engine::renderPreview(in, p);
    benchmark::DoNotOptimize(result.image.pixels.data());
  }
}
BENCHMARK(BM_LiveUpdate)
    ->ArgNames({"w", "h", "keep_hair"})
    ->Args({1280, 960, 0})
    ->Args({1280, 960, 1})
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
