// smp-preview-eval: the realism figures of issue 12 for every evaluation photo, and (with
// --check) a non-zero exit when one leaves its range. Generated mannequins always; the real
// portraits when --photos names their folder (their renders go to --out, never to the repo).
//
// Definitions ("seen at distance" = after a Gaussian blur of 0.6 mm, about 2 m away):
//   tone      mean L* of the treated zone after session 3 minus the shaved base's, at distance
//   texture   (RMS Laplacian of L* in the preview - in the base) / |tone|, at full resolution
//   s1, s2    tone of sessions 1 and 2 as a share of session 3's
//   fade10    tone at 10 years as a share of tone at 0 (and never darker at 5 than at 0)
//   hue       hue difference between the treated zone and the shaved base, in degrees
//   sidesDE   CIEDE2000 between the treated zone and the clipped sides, at distance
//   front10   share of dots more than 10 mm in front of the hairline on bare skin (the client's
//             own clipped hair, at the sides, takes pigment whatever the line says)
//   outside   pixels changed by more than 2 levels below the brow line or on the background
//             (where hair standing out was taken away: changed from the shaved base)
//   recall, precision   of hair pixels above the brows, against ground truth (mannequins) or
//             the hand-drawn labels of --labels (real portraits)
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/core/head_guide.h"
#include "app/core/sample_portrait.h"
#include "app/imageio/image_io.h"
#include "app/vision/photo_analysis.h"
#include "engine/box_blur.h"
#include "engine/color.h"
#include "engine/preview.h"

namespace {

namespace engine = smp::engine;
namespace vision = smp::vision;
namespace core = smp::core;

struct Photo {
  std::string name;
  engine::RgbImage image;
  int fitzpatrick = 3;
  engine::HairColour colour = engine::HairColour::kBlack;
  std::optional<engine::GrayImage> hairTruth;
  std::optional<engine::HeadEllipse> headTruth;  // mannequins: the head, for "background"
  double browTruthY = -1;                        // mannequins: top of the drawn brows
};

std::vector<float> lightness(const engine::RgbImage& img) {
  std::vector<float> out(static_cast<std::size_t>(img.width) * img.height);
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = static_cast<float>(engine::srgbToLab(&img.pixels[i * 3]).L);
  return out;
}

// Gaussian blur (three box passes) of an RGB image in linear light, back to sRGB bytes.
engine::RgbImage seenAtDistance(const engine::RgbImage& img, double sigmaPx) {
  const int w = img.width, h = img.height;
  std::vector<float> ch(static_cast<std::size_t>(w) * h);
  engine::RgbImage out = img;
  const int r =
      std::max(1, static_cast<int>(std::lround(std::sqrt(12 * sigmaPx * sigmaPx / 3 + 1) / 2)));
  for (int c = 0; c < 3; ++c) {
    for (std::size_t i = 0; i < ch.size(); ++i) ch[i] = engine::srgbToLinear(img.pixels[i * 3 + c]);
    for (int pass = 0; pass < 3; ++pass) engine::boxBlur(ch, w, h, r);
    for (std::size_t i = 0; i < ch.size(); ++i) out.pixels[i * 3 + c] = engine::linearToSrgb(ch[i]);
  }
  return out;
}

engine::Lab meanLab(const engine::RgbImage& img, const std::vector<std::size_t>& px) {
  double r = 0, g = 0, b = 0;
  for (std::size_t i : px) {
    r += engine::srgbToLinear(img.pixels[i * 3]);
    g += engine::srgbToLinear(img.pixels[i * 3 + 1]);
    b += engine::srgbToLinear(img.pixels[i * 3 + 2]);
  }
  const double n = std::max<std::size_t>(1, px.size());
  return engine::linearRgbToLab(r / n, g / n, b / n);
}

double rmsLaplacian(const std::vector<float>& L, int w, int h, const std::vector<std::size_t>& px) {
  double sum = 0;
  int n = 0;
  for (std::size_t i : px) {
    const int x = static_cast<int>(i % w), y = static_cast<int>(i / w);
    if (x < 1 || y < 1 || x >= w - 1 || y >= h - 1) continue;
    const double lap = 4 * L[i] - L[i - 1] - L[i + 1] - L[i - w] - L[i + w];
    sum += lap * lap;
    ++n;
  }
  return n ? std::sqrt(sum / n) : 0;
}

struct Figures {
  double tone = 0, texture = 0, s1 = 0, s2 = 0, fade10 = 0, hue = 0, sidesDE = -1, front10 = 0;
  long outside = 0;
  bool fadeMonotone = true;
  double recall = -1, precision = -1;
  double analyseMs = 0, liveMs = 0;
  std::string face;
};

Figures evaluate(const Photo& photo, const std::string& outDir, bool keepHair) {
  Figures f;
  const engine::HeadEllipse guide = core::defaultGuide(photo.image.width, photo.image.height);
  const auto t0 = std::chrono::steady_clock::now();
  const vision::PhotoAnalysis a =
      vision::analysePhoto(vision::sharedFaceFinder(), photo.image, guide);
  engine::PreviewParams p;
  p.mode = keepHair ? engine::PreviewMode::kKeepHair : engine::PreviewMode::kBuzz;
  p.hairline = engine::HairlineStyle::kSoft;
  p.fitzpatrick = photo.fitzpatrick;
  p.hairColour = photo.colour;
  const engine::ShavedBase base = engine::makeShavedBase(photo.image, a.analysis, p.mode);
  engine::PreviewInput in;
  in.photo = &photo.image;
  in.analysis = &a.analysis;
  in.base = &base;
  const engine::PreviewResult s3 = engine::renderPreview(in, p);
  const auto t1 = std::chrono::steady_clock::now();
  f.analyseMs = std::chrono::duration<double, std::milli>(t1 - t0).count();
  f.face = a.face.status == vision::FaceStatus::kFound ? "found" : a.face.messageKey;
  p.inkStrength = s3.inkStrength;
  const int w = photo.image.width, h = photo.image.height;
  const double mm = s3.pxPerMm;

  // Where the buzz took the hair's volume away (the background shows there now).
  auto takenAway = [&](std::size_t i) {
    return !base.clippedAway.empty() && base.clippedAway.pixels[i] > 0;
  };
  // The treated zone: where the preview may change pixels, 12 mm or more behind the line.
  std::vector<std::size_t> treated;
  const engine::GrayImage& zone = a.analysis.layers.scalpZone;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const std::size_t i = static_cast<std::size_t>(y) * w + x;
      if (zone.pixels[i] == 255 && !takenAway(i) && y < s3.hairline.curveY(x + 0.5) - 12 * mm)
        treated.push_back(i);
    }
  const engine::RgbImage farBase = seenAtDistance(base.image, 0.6 * mm);
  auto toneOf = [&](const engine::RgbImage& img) {
    return meanLab(seenAtDistance(img, 0.6 * mm), treated).L - meanLab(farBase, treated).L;
  };
  f.tone = toneOf(s3.image);
  const auto Lbase = lightness(base.image), Lprev = lightness(s3.image);
  f.texture = f.tone != 0
                  ? (rmsLaplacian(Lprev, w, h, treated) - rmsLaplacian(Lbase, w, h, treated)) /
                        std::abs(f.tone)
                  : 0;
  const engine::Lab zoneLab = meanLab(s3.image, treated), baseLab = meanLab(base.image, treated);
  f.hue = engine::hueDifferenceDegrees(engine::hueDegrees(zoneLab), engine::hueDegrees(baseLab));
  if (base.hasClippedSides)
    f.sidesDE =
        engine::deltaE2000(meanLab(seenAtDistance(s3.image, 0.6 * mm), treated), base.sidesColour);

  const auto tl0 = std::chrono::steady_clock::now();
  p.sessionStage = 1;
  const engine::PreviewResult s1 = engine::renderPreview(in, p);
  const auto tl1 = std::chrono::steady_clock::now();
  f.liveMs = std::chrono::duration<double, std::milli>(tl1 - tl0).count();
  p.sessionStage = 2;
  const engine::PreviewResult s2 = engine::renderPreview(in, p);
  p.sessionStage = 3;
  // A preview that changes nothing (hair covering the whole scalp, kept) has no ratios.
  const double perTone = f.tone != 0 ? 1 / f.tone : 0;
  f.s1 = toneOf(s1.image) * perTone;
  f.s2 = toneOf(s2.image) * perTone;
  p.yearsSinceSession = 5;
  const double tone5 = toneOf(engine::renderPreview(in, p).image);
  p.yearsSinceSession = 10;
  const engine::PreviewResult y10 = engine::renderPreview(in, p);
  const double tone10 = toneOf(y10.image);
  f.fade10 = tone10 * perTone;
  f.fadeMonotone = tone5 >= f.tone - 1e-9 && tone10 >= tone5 - 1e-9;  // tones are negative

  // On bare skin only: the client's own clipped hair (the sides) takes pigment whatever the
  // line says, and is not the forehead the hairline keeps clear.
  long front = 0;
  for (const auto& d : s3.dots) {
    const bool ownHair =
        !base.ownHair.empty() && base.ownHair.at(static_cast<int>(d.x), static_cast<int>(d.y)) > 0;
    if (!ownHair && d.y > s3.hairline.curveY(d.x) + 10 * mm) ++front;
  }
  f.front10 = s3.dots.empty() ? 0 : static_cast<double>(front) / s3.dots.size();

  // Nothing outside the scalp: below the brows and on the background.
  const double brow = photo.browTruthY >= 0 ? photo.browTruthY : a.analysis.geometry.browY;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const std::size_t i = static_cast<std::size_t>(y) * w + x;
      bool outside = y >= brow;
      if (photo.headTruth) {
        const auto& e = *photo.headTruth;
        const double dx = (x + 0.5 - e.centerX) / e.radiusX, dy = (y + 0.5 - e.centerY) / e.radiusY;
        outside = outside || dx * dx + dy * dy > 1.0;
      } else {
        outside = outside || a.analysis.layers.head.pixels[i] == 0;
      }
      if (!outside) continue;
      // Where the hair's volume was taken away the background shows again: the wall may change
      // there (from hair back to wall), pigment may not.
      const engine::RgbImage& before = takenAway(i) ? base.image : photo.image;
      for (int c = 0; c < 3; ++c)
        if (std::abs(s3.image.pixels[i * 3 + c] - before.pixels[i * 3 + c]) > 2) {
          ++f.outside;
          break;
        }
    }

  if (photo.hairTruth) {
    long tp = 0, fp = 0, fn = 0;
    for (int y = 0; y < std::min<int>(h, static_cast<int>(brow)); ++y)
      for (int x = 0; x < w; ++x) {
        const std::size_t i = static_cast<std::size_t>(y) * w + x;
        const bool truth = photo.hairTruth->pixels[i] > 128;
        const bool said = a.analysis.layers.hair.pixels[i] > 128;
        tp += truth && said;
        fp += !truth && said;
        fn += truth && !said;
      }
    f.recall = tp + fn ? static_cast<double>(tp) / (tp + fn) : 1;
    f.precision = tp + fp ? static_cast<double>(tp) / (tp + fp) : 1;
  }
  if (!outDir.empty()) {
    std::filesystem::create_directories(outDir);
    const std::string stem = outDir + "/" + photo.name + (keepHair ? "-keep-hair" : "-buzz");
    smp::imageio::saveRgb(stem + "-base.png", base.image);
    smp::imageio::saveRgb(stem + "-session3.png", s3.image);
    smp::imageio::saveRgb(stem + "-session1.png", s1.image);
    smp::imageio::saveRgb(stem + "-10-years.png", y10.image);
    // The analysis as the overlay a tuner looks at: head red, hair green, zone blue, over the
    // photo at half brightness.
    engine::RgbImage overlay = photo.image;
    const engine::HeadLayers& layers = a.analysis.layers;
    for (std::size_t i = 0; i < layers.hair.pixels.size(); ++i) {
      std::uint8_t* px = &overlay.pixels[i * 3];
      px[0] = static_cast<std::uint8_t>(px[0] / 2 + layers.head.pixels[i] / 2);
      px[1] = static_cast<std::uint8_t>(px[1] / 2 + layers.hair.pixels[i] / 2);
      px[2] = static_cast<std::uint8_t>(px[2] / 2 + layers.scalpZone.pixels[i] / 2);
    }
    smp::imageio::saveRgb(stem + "-analysis.png", overlay);
    if (photo.hairTruth) {
      // The segmentation's mistakes against the truth, above the brows: hair it missed in red,
      // hair it saw where there is none in blue, over the photo at half brightness.
      engine::RgbImage errors = photo.image;
      for (std::size_t i = 0; i < layers.hair.pixels.size(); ++i) {
        std::uint8_t* px = &errors.pixels[i * 3];
        for (int c = 0; c < 3; ++c) px[c] = static_cast<std::uint8_t>(px[c] / 2);
        if (static_cast<double>(i / w) >= brow) continue;
        const bool truth = photo.hairTruth->pixels[i] > 128, said = layers.hair.pixels[i] > 128;
        if (truth && !said) px[0] = 255;
        if (!truth && said) px[2] = 255;
      }
      smp::imageio::saveRgb(stem + "-hair-errors.png", errors);
    }
    smp::imageio::saveRgb(outDir + "/" + photo.name + "-photo.png", photo.image);
  }
  return f;
}

bool inRange(double v, double lo, double hi) { return v >= lo && v <= hi; }

// Hand-drawn hair labels (tests/data/portrait-hair-labels.json): polygons in photo pixels,
// filled even-odd at each pixel's centre. Throws with the file's name on a malformed entry.
engine::GrayImage rasterizeLabel(const nlohmann::json& polygons, int w, int h,
                                 const std::string& where) {
  engine::GrayImage out(w, h, 0);
  if (!polygons.is_array()) throw std::invalid_argument(where + ": \"hair\" is not a list");
  for (const auto& poly : polygons) {
    std::vector<std::pair<double, double>> pts;
    for (const auto& p : poly) {
      if (!p.is_array() || p.size() != 2 || !p[0].is_number() || !p[1].is_number())
        throw std::invalid_argument(where + ": a point is not [x, y]");
      pts.emplace_back(p[0].get<double>(), p[1].get<double>());
    }
    if (pts.size() < 3) throw std::invalid_argument(where + ": a polygon has fewer than 3 points");
    for (int y = 0; y < h; ++y) {
      const double cy = y + 0.5;
      std::vector<double> crossings;
      for (std::size_t i = 0, j = pts.size() - 1; i < pts.size(); j = i++) {
        const auto [xi, yi] = pts[i];
        const auto [xj, yj] = pts[j];
        if ((yi > cy) != (yj > cy)) crossings.push_back(xi + (cy - yi) / (yj - yi) * (xj - xi));
      }
      std::sort(crossings.begin(), crossings.end());
      for (std::size_t k = 0; k + 1 < crossings.size(); k += 2) {
        const int x0 = std::max(0, static_cast<int>(std::ceil(crossings[k] - 0.5)));
        const int x1 = std::min(w - 1, static_cast<int>(std::floor(crossings[k + 1] - 0.5)));
        for (int x = x0; x <= x1; ++x) out.at(x, y) = out.at(x, y) ? 0 : 255;
      }
    }
  }
  return out;
}

// Checks a labels file's shape before anything is measured, so a bad file is one clear message
// (naming the photo and what is wrong) instead of an exception halfway through a long run.
void validateLabels(const nlohmann::json& photos) {
  if (!photos.is_object()) throw std::invalid_argument("\"photos\" is not an object of files");
  for (const auto& [file, entry] : photos.items()) {
    if (!entry.is_object() || !entry.contains("hair"))
      throw std::invalid_argument(file + ": no \"hair\" list");
    rasterizeLabel(entry["hair"], 1, 1, file);  // the same checks the real rasterisation makes
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"smp-preview-eval: realism figures of the automatic preview"};
  std::string photosDir, outDir;
  bool check = false;
  std::string require;
  app.add_option("--photos", photosDir, "folder holding the real evaluation portraits (optional)");
  app.add_option("--out", outDir, "write each render here as PNG (optional)");
  std::string labelsPath;
  app.add_option(
      "--labels", labelsPath,
      "hand-drawn hair labels of the real portraits (tests/data/portrait-hair-labels.json):"
      " with --photos, recall and precision are measured on them too");
  app.add_flag("--check", check, "exit 1 when a figure leaves its range");
  app.add_option("--require", require,
                 "exit 1 when one of these figures (comma-separated: tone,texture,s1,s2,fade,hue,"
                 "sidesDE,front10,outside,recall,precision) leaves its range");
  CLI11_PARSE(app, argc, argv);

  std::vector<Photo> photos;
  const std::pair<int, core::MannequinHair> mannequins[] = {
      {2, {45, 35, 30, 3}}, {3, {95, 70, 50, 3}}, {4, {30, 25, 22, 2}}, {6, {22, 18, 16, 2}}};
  for (const auto& [fitz, hair] : mannequins) {
    Photo ph;
    ph.name = "mannequin-type" + std::to_string(fitz);
    engine::GrayImage truth;
    ph.image = core::samplePortraitWithHair(1280, 960, fitz, 7, hair, &truth);
    ph.hairTruth = truth;
    ph.fitzpatrick = fitz;
    const auto g = core::defaultGuide(1280, 960);
    const double grow = 1.0 + hair.lengthMm * (2 * g.radiusX * 0.97 / 152.0) / (g.radiusX * 0.97);
    ph.headTruth =
        engine::HeadEllipse{g.centerX, g.centerY, g.radiusX * 0.97 * grow, g.radiusY * 0.97 * grow};
    ph.browTruthY = g.centerY - g.radiusY * 0.97 * 0.12;
    photos.push_back(std::move(ph));
  }
  nlohmann::json labels = nlohmann::json::object();
  if (!labelsPath.empty()) {
    std::ifstream in(labelsPath);
    if (!in) {
      std::cerr << "smp-preview-eval: cannot read --labels " << labelsPath << ": "
                << std::strerror(errno) << "\n";
      return 2;
    }
    try {
      labels = nlohmann::json::parse(in).at("photos");
      validateLabels(labels);
    } catch (const std::exception& e) {
      std::cerr << "smp-preview-eval: --labels " << labelsPath
                << " is not a labels file ({\"photos\": "
                << "{FILE: {\"hair\": [[[x, y], ...]]}}}): " << e.what() << "\n";
      return 2;
    }
  }
  if (!photosDir.empty()) {
    const std::pair<const char*, int> real[] = {{"thinning-receding-1200.jpg", 2},
                                                {"short-dark-hair-910x1137.jpg", 5}};
    for (const auto& [file, fitz] : real) {
      const auto path = std::filesystem::path(photosDir) / file;
      if (!std::filesystem::exists(path)) continue;
      Photo ph;
      ph.name = std::filesystem::path(file).stem().string();
      ph.image = smp::imageio::loadRgb(path.string());
      ph.fitzpatrick = fitz;
      if (labels.contains(file)) {
        ph.hairTruth = rasterizeLabel(labels[file].value("hair", nlohmann::json()), ph.image.width,
                                      ph.image.height, labelsPath + " (" + file + ")");
      }
      photos.push_back(std::move(ph));
    }
  }

  bool allInRange = true, requiredFailed = false;
  std::printf(
      "| photo | mode | face | tone dL* | texture | s1 | s2 | fade10 | hue | sides dE | front10 %% "
      "| outside px | recall | precision | analyse+render ms | live ms |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
  for (const Photo& ph : photos) {
    for (bool keepHair : {false, true}) {
      const Figures f = evaluate(ph, outDir, keepHair);
      const auto [lo, hi] = engine::deltaLRange(ph.fitzpatrick);
      std::vector<std::string> bad;
      if (!keepHair && !inRange(f.tone, lo, hi)) bad.push_back("tone");
      if (!keepHair && f.texture > 1.5) bad.push_back("texture");
      if (f.tone != 0 && !inRange(f.s1, 0.30, 0.50)) bad.push_back("s1");
      if (f.tone != 0 && !inRange(f.s2, 0.65, 0.85)) bad.push_back("s2");
      if (f.tone != 0 && (f.fade10 > 0.8 || !f.fadeMonotone)) bad.push_back("fade");
      if (f.hue > 10) bad.push_back("hue");
      if (f.sidesDE > 4) bad.push_back("sidesDE");
      if (f.front10 > 0.02) bad.push_back("front10");
      if (f.outside > 0) bad.push_back("outside");
      if (f.recall >= 0 && f.recall < 0.95) bad.push_back("recall");
      if (f.precision >= 0 && f.precision < 0.90) bad.push_back("precision");
      std::printf(
          "| %s | %s | %s | %.1f | %.2f | %.2f | %.2f | %.2f | %.1f | %s | %.2f | %ld | %s | %s | "
          "%.0f | %.0f |%s\n",
          ph.name.c_str(), keepHair ? "keep-hair" : "buzz", f.face.c_str(), f.tone, f.texture, f.s1,
          f.s2, f.fade10, f.hue,
          f.sidesDE < 0 ? "-" : std::to_string(f.sidesDE).substr(0, 4).c_str(), 100 * f.front10,
          f.outside, f.recall < 0 ? "-" : std::to_string(f.recall).substr(0, 4).c_str(),
          f.precision < 0 ? "-" : std::to_string(f.precision).substr(0, 4).c_str(), f.analyseMs,
          f.liveMs,
          bad.empty() ? ""
                      : (" out of range: " +
                         [&] {
                           std::string s;
                           for (auto& b : bad) s += (s.empty() ? "" : ",") + b;
                           return s;
                         }())
                            .c_str());
      if (!bad.empty()) allInRange = false;
      for (const auto& b : bad)
        if (("," + require + ",").find("," + b + ",") != std::string::npos) requiredFailed = true;
    }
  }
  if (requiredFailed) std::cerr << "smp-preview-eval: a required figure is out of range\n";
  return (check && !allInRange) || requiredFailed ? 1 : 0;
}
