// Peak memory of one full-resolution render, relative to the photo's own size: the issue's
// "memory <= 3x the image". Reads the process's peak RSS (VmHWM) before and after.
#include <cstdio>
#include <fstream>
#include <string>

#include "app/core/head_guide.h"
#include "app/core/sample_portrait.h"
#include "engine/preview.h"

namespace {

long peakRssKb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

}  // namespace

int main() {
  using namespace smp;
  constexpr int kW = 4000, kH = 3000;
  const auto photo = core::samplePortrait(kW, kH, 3, 1);
  const auto guide = core::defaultGuide(kW, kH);
  const auto mask = engine::proposeScalp(photo, guide).mask;
  engine::PreviewParams p;
  p.pxPerMm = engine::pxPerMmFromHead(guide);
  const long before = peakRssKb();
  const auto result = engine::renderPreview({&photo, &mask, nullptr}, p);
  const long after = peakRssKb();
  const double imageKb = static_cast<double>(photo.pixels.size()) / 1024.0;
  std::printf(
      "12 MP render: %zu dots, photo %.0f MB, render added %.0f MB peak = %.2fx the image\n",
      result.dots.size(), imageKb / 1024.0, static_cast<double>(after - before) / 1024.0,
      static_cast<double>(after - before) / imageKb);
  return 0;
}
