// smp-engine-gallery: renders the documentation images of docs/engine.md (hairline styles,
// sessions, aging, skin types, a scar) on the generated mannequin, and prints the measured
// placement-quality table. Never uses real people's photos: those are for tests and tuning.
#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "app/core/head_guide.h"
#include "app/core/sample_portrait.h"
#include "app/imageio/image_io.h"
#include "engine/metrics.h"
#include "engine/preview.h"
#include "engine/scalp_proposal.h"

namespace {

using namespace smp;

struct Scene {
  engine::RgbImage photo;
  engine::ScalpProposal scalp;
};

Scene makeScene(int fitzpatrick) {
  Scene s;
  s.photo = core::samplePortrait(1600, 1200, fitzpatrick, 3);
  s.scalp = engine::proposeScalp(s.photo, core::defaultGuide(1600, 1200));
  return s;
}

// The upper head, where the scalp is, at 1:1 so single impressions are visible.
engine::RgbImage cropScalp(const engine::RgbImage& img) {
  const int w = 640, h = 420, x0 = (img.width - w) / 2, y0 = 110;
  engine::RgbImage out(w, h);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      for (int c = 0; c < 3; ++c) out.at(x, y)[c] = img.at(x0 + x, y0 + y)[c];
  return out;
}

void render(const Scene& s, engine::PreviewParams p, const engine::GrayImage* scars,
            const std::filesystem::path& out) {
  p.pxPerMm = s.scalp.pxPerMm;
  p.hairlinePlacement = s.scalp.hairline;
  const auto result = engine::renderPreview({&s.photo, &s.scalp.mask, nullptr, scars}, p);
  imageio::saveRgb(out, cropScalp(result.image));
  std::cout << out.string() << ": " << result.dots.size() << " impressions\n";
}

void qualityTable() {
  std::printf(
      "\n| case | dots | G-MD | A-MD | global psi6 | local psi6 |\n|---|---|---|---|---|---|\n");
  for (double perCm2 : {40.0, 100.0, 160.0}) {
    for (int stage = 1; stage <= 3; ++stage) {
      engine::PlacementRequest r;
      r.field.width = r.field.height = 1500;
      r.x1 = r.y1 = 1500;
      r.pxPerMm = 10;
      r.densityPerMm2 = perCm2 / 100.0;
      r.sessionStage = stage;
      r.seed = 7;
      std::vector<engine::Point2> pts;
      for (const auto& p : engine::placePoints(r)) pts.push_back({p.x, p.y});
      const double lambda = static_cast<double>(pts.size()) / (1500.0 * 1500.0);
      const auto s = engine::measureSpacing(
          pts, 1500, 1500, [&](double, double) { return lambda; }, 30);
      const auto o = engine::measureLatticeOrder(pts, 1500, 1500, 30);
      std::printf("| %.0f/cm2, session %d%s | %zu | %.3f | %.3f | %.3f | %.3f |\n", perCm2, stage,
                  stage == 3 ? " (full)" : "", pts.size(), s.gmd, s.amd, o.globalPsi6, o.localPsi6);
    }
  }
  // Density fidelity on a ramp (10 % to 100 % coverage over 400 mm).
  constexpr int kW = 4000, kH = 2000;
  std::vector<std::uint8_t> ramp(static_cast<std::size_t>(kW) * kH);
  for (int y = 0; y < kH; ++y)
    for (int x = 0; x < kW; ++x)
      ramp[static_cast<std::size_t>(y) * kW + x] = static_cast<std::uint8_t>(26 + 229 * x / kW);
  engine::PlacementRequest r;
  r.field.width = kW;
  r.field.height = kH;
  r.field.densityMap = ramp.data();
  r.x1 = kW;
  r.y1 = kH;
  r.pxPerMm = 10;
  r.densityPerMm2 = 1.0;
  r.seed = 11;
  double expected[10] = {};
  int counts[10] = {};
  for (int x = 0; x < kW; ++x)
    expected[x * 10 / kW] += ramp[static_cast<std::size_t>(x)] / 255.0 * kH / 100.0;
  for (const auto& p : engine::placePoints(r))
    ++counts[std::min(9, static_cast<int>(p.x * 10 / kW))];
  double worst = 0;
  for (int b = 0; b < 10; ++b)
    worst = std::max(worst, std::abs(counts[b] - expected[b]) / expected[b]);
  std::printf(
      "\nRamp (10 bins, 10-100 %% coverage): worst bin off by %.2f %% of its expected count\n",
      100 * worst);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"smp-engine-gallery: documentation images and quality table for docs/engine.md"};
  std::string outDir = "docs/engine";
  app.add_option("-o,--out", outDir, "output folder")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  try {
    std::filesystem::create_directories(outDir);
    const std::filesystem::path dir(outDir);
    const Scene light = makeScene(2), dark = makeScene(6);
    engine::PreviewParams base;
    base.hairline = engine::HairlineStyle::kSoft;
    imageio::saveRgb(dir / "before.png", cropScalp(light.photo));
    for (auto style : {engine::HairlineStyle::kSoft, engine::HairlineStyle::kSharp,
                       engine::HairlineStyle::kMature, engine::HairlineStyle::kBroken,
                       engine::HairlineStyle::kWidowsPeak}) {
      auto p = base;
      p.hairline = style;
      render(light, p, nullptr,
             dir / ("hairline-" + std::string(engine::hairlineStyleName(style)) + ".png"));
    }
    for (int stage = 1; stage <= 3; ++stage) {
      auto p = base;
      p.sessionStage = stage;
      render(light, p, nullptr, dir / ("session-" + std::to_string(stage) + ".png"));
    }
    for (int years : {0, 5, 10}) {
      auto p = base;
      p.yearsSinceSession = years;
      render(light, p, nullptr, dir / ("years-" + std::to_string(years) + ".png"));
    }
    auto pd = base;
    pd.fitzpatrick = 6;
    imageio::saveRgb(dir / "dark-before.png", cropScalp(dark.photo));
    render(dark, pd, nullptr, dir / "skin-dark.png");
    auto pl = base;
    pl.fitzpatrick = 2;
    render(light, pl, nullptr, dir / "skin-light.png");
    // A transplant-strip style scar across the crown.
    engine::GrayImage scars(light.photo.width, light.photo.height, 0);
    for (int y = 0; y < scars.height; ++y)
      for (int x = 0; x < scars.width; ++x) {
        const double cy = 215 + 0.0004 * (x - 800.0) * (x - 800.0);
        if (std::abs(y - cy) < 9 && std::abs(x - 800) < 180) scars.at(x, y) = 255;
      }
    engine::RgbImage scarred = light.photo;
    for (int y = 0; y < scars.height; ++y)
      for (int x = 0; x < scars.width; ++x)
        if (scars.at(x, y)) {
          auto* px = scarred.at(x, y);
          px[0] = static_cast<std::uint8_t>(std::min(255, px[0] + 28));
          px[1] = static_cast<std::uint8_t>(std::min(255, px[1] + 18));
          px[2] = static_cast<std::uint8_t>(std::min(255, px[2] + 18));
        }
    Scene scar{scarred, light.scalp};
    imageio::saveRgb(dir / "scar-before.png", cropScalp(scarred));
    render(scar, base, &scars, dir / "scar-after.png");
    qualityTable();
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "smp-engine-gallery: error: " << e.what() << "\n";
    return 1;
  }
}
