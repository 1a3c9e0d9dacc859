// smp-preview: the stippling engine on files, for tuning, documentation and scripted checks.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>

#include "app/core/head_guide.h"
#include "app/imageio/image_io.h"
#include "app/vision/photo_analysis.h"
#include "engine/engine_error.h"
#include "engine/preview.h"
#include "engine/scalp_proposal.h"

namespace {

void writeDotsCsv(const std::string& path, const std::vector<smp::engine::Dot>& dots) {
  std::ofstream out(path, std::ios::trunc);
  if (!out) throw smp::imageio::ImageIoError(path + ": cannot open for writing");
  out << "x,y,diameter_px,opacity,session\n";
  char line[128];
  for (const auto& d : dots) {
    std::snprintf(line, sizeof line, "%.3f,%.3f,%.3f,%.3f,%d\n", d.x, d.y, d.diameterPx, d.opacity,
                  d.session);
    out << line;
  }
  if (!out) throw smp::imageio::ImageIoError(path + ": write failed");
}

}  // namespace

int main(int argc, char** argv) {
  namespace engine = smp::engine;
  CLI::App app{"smp-preview: render a scalp micropigmentation preview onto a photo"};
  std::string input, output, maskPath, densityPath, dotsPath, hairline = "soft", mode = "buzz";
  engine::PreviewParams params;
  std::optional<double> pxPerMm;
  app.add_option("input", input, "photo to render onto (.jpg or .png)")->required();
  app.add_option("-o,--output", output, "where to write the preview (.png or .jpg)")->required();
  app.add_option("--mask", maskPath, "scalp mask image: white = scalp (default: whole image)");
  app.add_option("--density-map", densityPath, "grey image: grey level scales density per pixel");
  app.add_option("--mode", mode,
                 "buzz (the head clipped short, the default) or keep-hair (pigment only between "
                 "hairs)");
  app.add_option("--hairline", hairline,
                 "hairline template: " + engine::hairlineStyleNames() + " (default soft)");
  bool noAnalysis = false;
  app.add_flag("--no-face", noAnalysis,
               "skip face detection and segmentation: the old whole-image or --mask behaviour");
  app.add_option("--density", params.densityPerCm2,
                 "impressions per cm2 at full coverage (40-160)");
  app.add_option("--dot-mm", params.dotDiameterMm, "impression diameter in mm (0.10-0.40)");
  app.add_option("--head-width-mm", params.headWidthMm,
                 "head width in mm across the mask, sets the physical scale (80-260)");
  app.add_option("--px-per-mm", pxPerMm, "physical scale given directly (overrides head width)");
  app.add_option("--session", params.sessionStage, "session stage 1-3");
  app.add_option("--years", params.yearsSinceSession, "years since the last session (0-10)");
  app.add_option("--fitzpatrick", params.fitzpatrick, "skin type 1-6");
  app.add_option("--seed", params.seed, "random seed; same inputs and seed give identical output");
  app.add_option("--dots", dotsPath, "write the dots as CSV: x,y,diameter_px,opacity,session");
  std::vector<double> head;
  std::string saveMaskPath, hairColour = "black";
  app.add_option(
         "--head", head,
         "head outline CX,CY,RX,RY in pixels: propose the scalp mask (skin-tone classifier) "
         "and hairline from it instead of --mask")
      ->delimiter(',')
      ->expected(4);
  app.add_option("--save-mask", saveMaskPath, "write the mask used (proposed or given) as PNG");
  std::string layersPrefix;
  app.add_option("--save-layers", layersPrefix,
                 "write the analysis as PREFIX-hair.png, -head.png, -zone.png and -base.png and "
                 "print the face geometry (for tuning and for checking a photo that looks wrong)");
  app.add_option("--hair-colour", hairColour, "black|dark-brown|brown|light-brown|grey");
  std::string view = "front", frontPath;
  app.add_option("--view", view,
                 "front (the face toward the camera, the default) or top (the crown, the head "
                 "bowed toward the camera as for the kiosk's top photo)");
  app.add_option("--front", frontPath,
                 "with --view top: the same client's front photo, to learn their skin from "
                 "(as the kiosk does); without it the skin is guessed from the middle of the head");
  CLI11_PARSE(app, argc, argv);

  try {
    const auto style = engine::parseHairlineStyle(hairline);
    if (!style) {
      throw std::invalid_argument("--hairline '" + hairline + "' is unknown: use " +
                                  engine::hairlineStyleNames());
    }
    params.hairline = *style;
    if (mode != "buzz" && mode != "keep-hair") {
      throw std::invalid_argument("--mode '" + mode + "' is unknown: use buzz or keep-hair");
    }
    params.mode = mode == "buzz" ? engine::PreviewMode::kBuzz : engine::PreviewMode::kKeepHair;
    const auto colour = engine::parseHairColour(hairColour);
    if (!colour) {
      throw std::invalid_argument("--hair-colour '" + hairColour +
                                  "' is unknown: use black|dark-brown|brown|light-brown|grey");
    }
    params.hairColour = *colour;
    if (!head.empty() && !maskPath.empty()) {
      throw std::invalid_argument("--head and --mask exclude each other: give one");
    }
    if (view != "front" && view != "top") {
      throw std::invalid_argument("--view '" + view + "' is unknown: use front or top");
    }
    if (!frontPath.empty() && view != "top") {
      throw std::invalid_argument("--front is for --view top (the skin of the top photo)");
    }
    if (view == "top" && (noAnalysis || !maskPath.empty())) {
      throw std::invalid_argument("--view top runs the analysis: drop --no-face and --mask");
    }
    params.pxPerMm = pxPerMm;
    smp::imageio::formatForPath(output);  // reject a bad output name before the work
    const engine::RgbImage photo = smp::imageio::loadRgb(input);
    std::optional<engine::GrayImage> mask, density;
    if (!maskPath.empty()) mask = smp::imageio::loadGray(maskPath);
    if (!head.empty() && view == "front") {
      const engine::HeadEllipse ellipse{head[0], head[1], head[2], head[3]};
      engine::ScalpProposal proposal = engine::proposeScalp(photo, ellipse);
      mask = std::move(proposal.mask);
      if (!params.pxPerMm) params.pxPerMm = proposal.pxPerMm;
      params.hairlinePlacement = proposal.hairline;
    }

    if (!densityPath.empty()) density = smp::imageio::loadGray(densityPath);
    // The kiosk's automatic pipeline: find the face, segment the head, shave, pigment. The
    // head outline (--head, or the kiosk's default guide) is only the fallback geometry.
    std::optional<smp::vision::PhotoAnalysis> analysis;
    if (!noAnalysis) {
      const engine::HeadEllipse guide =
          head.empty() ? smp::core::defaultGuide(photo.width, photo.height)
                       : engine::HeadEllipse{head[0], head[1], head[2], head[3]};
      if (view == "top") {
        smp::vision::SkinModel skin;
        if (!frontPath.empty()) {
          const engine::RgbImage front = smp::imageio::loadRgb(frontPath);
          skin = smp::vision::analysePhoto(smp::vision::sharedFaceFinder(), front,
                                           smp::core::defaultGuide(front.width, front.height))
                     .skin;
        }
        analysis = smp::vision::analyseTopPhoto(photo, guide, skin);
      } else {
        analysis = smp::vision::analysePhoto(smp::vision::sharedFaceFinder(), photo, guide);
      }
      if (!analysis->face.message.empty())
        std::cerr << "smp-preview: " << analysis->face.message << "\n";
      if (!head.empty()) {  // the proposal above set these from the guide: the face decides
        if (!pxPerMm) params.pxPerMm.reset();
        params.hairlinePlacement.reset();
        mask.reset();
      }
    }
    engine::PreviewInput in{&photo, mask ? &*mask : nullptr, density ? &*density : nullptr, nullptr,
                            analysis ? &analysis->analysis : nullptr};
    // The shaved base is made once here, for the render and for --save-layers.
    std::optional<engine::ShavedBase> base;
    if (analysis) {
      base = engine::makeShavedBase(photo, analysis->analysis, params.mode);
      in.base = &*base;
    }
    const engine::PreviewResult result = engine::renderPreview(in, params);
    smp::imageio::saveRgb(output, result.image);
    if (!saveMaskPath.empty()) {
      const engine::GrayImage* used =
          analysis ? &analysis->analysis.layers.scalpZone : (mask ? &*mask : nullptr);
      if (used) smp::imageio::writeFileAtomically(saveMaskPath, smp::imageio::encodeGray(*used));
    }
    if (!dotsPath.empty()) writeDotsCsv(dotsPath, result.dots);
    if (!layersPrefix.empty() && analysis) {
      const engine::HeadAnalysis& a = analysis->analysis;
      const auto save = [&](const std::string& suffix, const engine::GrayImage& g) {
        smp::imageio::writeFileAtomically(layersPrefix + suffix, smp::imageio::encodeGray(g));
      };
      save("-hair.png", a.layers.hair);
      save("-head.png", a.layers.head);
      save("-zone.png", a.layers.scalpZone);
      smp::imageio::saveRgb(layersPrefix + "-base.png", base->image);
      const engine::FaceGeometry& g = a.geometry;
      std::cerr << "smp-preview: face " << (g.detected ? "found" : "from the guide") << ", pupils ("
                << g.leftEyeX << "," << g.leftEyeY << ") (" << g.rightEyeX << "," << g.rightEyeY
                << "), brow line y=" << g.browY << ", " << g.pxPerMm << " px/mm, skull ("
                << g.skull.centerX << "," << g.skull.centerY << " r " << g.skull.radiusX << "x"
                << g.skull.radiusY << "), hairline (" << g.hairline.centerX << ","
                << g.hairline.frontY << " half " << g.hairline.halfWidth << "), confidence "
                << a.layers.confidence << "\n";
      std::cerr << "smp-preview: hairline controls";
      for (const auto& c : result.hairline.controls) std::cerr << " (" << c.x << "," << c.y << ")";
      std::cerr << "\n";
    }
    std::cerr << "smp-preview: " << result.dots.size() << " impressions at " << result.pxPerMm
              << " px/mm, treated zone " << result.targetDeltaL << " L*"
              << (result.shadeFromSides ? " (matched to the clipped sides)" : "") << " -> "
              << output << "\n";
    if (result.hairHidesPigment)
      std::cerr << "smp-preview: the hair covers the scalp nearly everywhere: keeping it, the "
                   "pigment hardly shows (try --mode buzz)\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "smp-preview: error: " << e.what() << "\n";
    return 1;
  }
}
