// Works on a copy at about 0.75 px/mm (a head some 115 px wide): GrabCut's cost grows with the
// pixel count, and hair-versus-skin is a millimetre-scale question. The soft maps are scaled
// back to the photo at the end.
#include "app/vision/head_segmenter.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <stdexcept>
#include <vector>

#include "app/vision/opencv_on_cpu.h"

namespace smp::vision {
namespace {

constexpr double kWorkPxPerMm = 0.75;

double medianOf(std::vector<float> v) {
  if (v.empty()) return 0;
  auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  return *mid;
}

double madOf(const std::vector<float>& v, double median) {
  std::vector<float> d;
  d.reserve(v.size());
  for (float x : v) d.push_back(static_cast<float>(std::abs(x - median)));
  return 1.4826 * medianOf(std::move(d));
}

void ellipseMask(cv::Mat& mask, const engine::HeadEllipse& e, double scale, double grow,
                 std::uint8_t value) {
  cv::ellipse(mask, cv::Point2d(e.centerX * scale, e.centerY * scale),
              cv::Size2d(e.radiusX * scale * grow, e.radiusY * scale * grow), 0, 0, 360,
              cv::Scalar(value), cv::FILLED, cv::LINE_8);
}

// Scales a work-resolution map back up to the region `roi` of the photo-sized `out`.
void pasteInto(engine::GrayImage& out, const cv::Mat& m8, const cv::Rect& roi) {
  cv::Mat full;
  cv::resize(m8, full, roi.size(), 0, 0, cv::INTER_LINEAR);
  for (int y = 0; y < roi.height; ++y)
    std::copy_n(full.ptr<std::uint8_t>(y), roi.width, &out.at(roi.x, roi.y + y));
}

}  // namespace

engine::HeadLayers segmentHead(const engine::RgbImage& photo, const engine::FaceGeometry& g) {
  useOpenCvOnTheCpuOnly();
  if (photo.empty()) throw std::invalid_argument("segmentHead: the photo is empty");
  // GrabCut seeds its colour models with k-means from OpenCV's thread-local random generator:
  // reset it so the same photo always gives the same layers (stored previews are reproducible).
  cv::theRNG() = cv::RNG(0x5EED5EEDu);
  const cv::Mat rgb(photo.height, photo.width, CV_8UC3,
                    const_cast<std::uint8_t*>(photo.pixels.data()));
  const double scale = std::min(1.0, kWorkPxPerMm / std::max(0.1, g.pxPerMm));
  // Only the skull's surroundings matter: crop to 1.5 skull radii around it (and at most to the
  // chin), so a small head in a large photo costs as little as a close-up.
  const cv::Rect roi = cv::Rect(static_cast<int>(g.skull.centerX - 1.5 * g.skull.radiusX),
                                static_cast<int>(g.skull.centerY - 1.3 * g.skull.radiusY),
                                static_cast<int>(3.0 * g.skull.radiusX),
                                static_cast<int>(1.3 * g.skull.radiusY + 75 * g.pxPerMm)) &
                       cv::Rect(0, 0, photo.width, photo.height);
  engine::HeadLayers out;
  out.hair = engine::GrayImage(photo.width, photo.height, 0);
  out.head = out.hair;
  out.scalpZone = out.hair;
  if (roi.width < 8 || roi.height < 8) return out;  // the head lies outside the photo
  cv::Mat small;
  cv::resize(rgb(roi), small, cv::Size(), scale, scale, cv::INTER_AREA);
  const double mm = g.pxPerMm * scale;  // work pixels per millimetre
  const int w = small.cols, h = small.rows;
  // Geometry in work pixels.
  engine::HeadEllipse skull = g.skull;
  skull.centerX -= roi.x;
  skull.centerY -= roi.y;
  const double eyeY = (0.5 * (g.leftEyeY + g.rightEyeY) - roi.y) * scale;
  const double midX = (0.5 * (g.leftEyeX + g.rightEyeX) - roi.x) * scale;

  // 1. Head against background. Seeds: far outside the skull is background; the face core and
  //    the inner skull are head; the rest is for GrabCut to decide. The body below the chin is
  //    irrelevant to the scalp and set to background so it cannot pull the model.
  cv::Mat gc(h, w, CV_8UC1, cv::Scalar(cv::GC_BGD));
  ellipseMask(gc, skull, scale, 1.45, cv::GC_PR_BGD);
  ellipseMask(gc, skull, scale, 1.12, cv::GC_PR_FGD);
  ellipseMask(gc, skull, scale, 0.55, cv::GC_FGD);
  const int chin = std::clamp(static_cast<int>(eyeY + 70 * mm), 0, h);
  gc.rowRange(chin, h).setTo(cv::GC_BGD);
  cv::Mat bgdModel, fgdModel;
  const cv::Rect all(0, 0, w, h);
  cv::Mat bgr;
  cv::cvtColor(small, bgr, cv::COLOR_RGB2BGR);
  cv::grabCut(bgr, gc, all, bgdModel, fgdModel, 2, cv::GC_INIT_WITH_MASK);
  cv::Mat head = (gc == cv::GC_FGD) | (gc == cv::GC_PR_FGD);  // 255 / 0
  cv::morphologyEx(head, head, cv::MORPH_OPEN,
                   cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(3, 3)));

  // 2. The client's own skin, from the forehead just above the brows and the cheeks.
  cv::Mat lab;
  small.convertTo(lab, CV_32FC3, 1.0 / 255);
  cv::cvtColor(lab, lab, cv::COLOR_RGB2Lab);  // L 0-100, a and b about -127..127
  std::vector<float> ls, as, bs;
  auto sample = [&](double x0, double y0, double x1, double y1) {
    for (int y = std::max(0, static_cast<int>(y0)); y < std::min(h, static_cast<int>(y1)); ++y) {
      for (int x = std::max(0, static_cast<int>(x0)); x < std::min(w, static_cast<int>(x1)); ++x) {
        const cv::Vec3f p = lab.at<cv::Vec3f>(y, x);
        ls.push_back(p[0]);
        as.push_back(p[1]);
        bs.push_back(p[2]);
      }
    }
  };
  const double browY = (g.browY - roi.y) * scale;
  sample(midX - 22 * mm, browY - 14 * mm, midX + 22 * mm, browY - 3 * mm);  // forehead
  for (double side : {-1.0, 1.0}) {                                         // cheeks
    const double cx = midX + side * 30 * mm;
    sample(cx - 8 * mm, eyeY + 18 * mm, cx + 8 * mm, eyeY + 34 * mm);
  }
  const double mL = medianOf(ls), mA = medianOf(as), mB = medianOf(bs);
  const double sL = std::max(4.0, madOf(ls, mL));
  const double sA = std::max(2.0, madOf(as, mA)), sB = std::max(2.5, madOf(bs, mB));
  const double skinChroma = std::hypot(mA, mB);

  // Fine texture: hair has strands at the millimetre scale, skin is smooth there.
  cv::Mat lightness, mean1, sq1;
  cv::extractChannel(lab, lightness, 0);
  const int k = std::max(3, static_cast<int>(std::lround(1.4 * mm)) | 1);
  cv::blur(lightness, mean1, cv::Size(k, k));
  cv::blur(lightness.mul(lightness), sq1, cv::Size(k, k));

  // 3. Per pixel: how much it looks like this client's skin. Chroma separates grey, white and
  //    dark hair (near neutral) from skin; hue separates blond hair (yellower) from skin;
  //    lightness catches dark hair; texture catches the rest.
  cv::Mat hair(h, w, CV_32FC1, cv::Scalar(0));
  double certain = 0, counted = 0;
  const int hairBottom = std::clamp(static_cast<int>(eyeY - 12 * mm), 0, h);
  const double frontY = (g.hairline.frontY - roi.y) * scale;
  const double frontHalf = g.hairline.halfWidth * scale;
  // Anatomy: no hair grows on the forehead, in front of the juvenile hairline (beside it, at
  // the temples, it does, down to the sideburns). The limit fades over 6 mm: a hard limit at
  // this working scale leaves a blocky edge that shows once the hair is clipped.
  auto anatomy = [&](int x, int y) {
    const double dxFront = std::abs(x - midX) / std::max(1.0, frontHalf);
    const double frontLimit =
        dxFront < 1 ? frontY + 12 * mm : frontY + 12 * mm + (dxFront - 1) * 2.5 * (eyeY - frontY);
    return static_cast<float>(std::clamp(1.0 - (y - frontLimit) / (6 * mm), 0.0, 1.0));
  };
  for (int y = 0; y < hairBottom; ++y) {
    const std::uint8_t* hd = head.ptr<std::uint8_t>(y);
    float* row = hair.ptr<float>(y);
    for (int x = 0; x < w; ++x) {
      if (!hd[x]) continue;
      const float allowed = anatomy(x, y);
      if (allowed <= 0) continue;
      const cv::Vec3f p = lab.at<cv::Vec3f>(y, x);
      // Shading scales chroma with lightness; compare chroma relative to the skin's at this L.
      const double shade = std::clamp(p[0] / std::max(1.0, mL), 0.3, 1.3);
      const double da = (p[1] - mA * shade) / sA, db = (p[2] - mB * shade) / sB;
      double d2 = da * da + db * db;
      const double var =
          std::max(0.0f, sq1.at<float>(y, x) - mean1.at<float>(y, x) * mean1.at<float>(y, x));
      const double texture = std::sqrt(var) / sL;  // strands in a millimetre window
      const double chroma = std::hypot(p[1], p[2]);
      // Neutral is grey, white or black hair, unless it is a smooth highlight lighter than the
      // skin: the sheen on a forehead (found on a real dark-skin portrait) has no strands.
      const bool sheen = p[0] > mL + 4 && texture < 0.9;
      if (chroma < 0.45 * skinChroma * shade && !sheen) d2 += 9;
      const double dark = (mL - p[0] - 14) / 6;  // much darker than the skin: hair
      if (dark > 0) d2 += dark * dark;
      if (texture > 1.5) d2 += (texture - 1.5) * 2;
      const double skin = std::exp(-0.5 * d2 / 4.0);  // 2 sigma still counts as skin
      const double hairProb = (1.0 - skin) * allowed;
      row[x] = static_cast<float>(hairProb);
      certain += std::abs(hairProb - 0.5) * 2;
      counted += 1;
    }
  }
  // 4. Refinement: GrabCut again, hair against skin above the eyes, seeded by the certain
  //    pixels, so this client's own hair and skin colours decide the doubtful ones (a shaded
  //    forehead, a highlight on grey hair).
  if (hairBottom > 8) {
    const cv::Rect top(0, 0, w, hairBottom);
    cv::Mat seeds(hairBottom, w, CV_8UC1, cv::Scalar(cv::GC_BGD));
    int hairSeeds = 0, skinSeeds = 0;
    for (int y = 0; y < hairBottom; ++y) {
      const std::uint8_t* hd = head.ptr<std::uint8_t>(y);
      const float* p = hair.ptr<float>(y);
      std::uint8_t* sd = seeds.ptr<std::uint8_t>(y);
      for (int x = 0; x < w; ++x) {
        if (!hd[x]) continue;  // background stays out of both models
        if (p[x] > 0.95f) {
          sd[x] = cv::GC_FGD;
          ++hairSeeds;
        } else if (p[x] < 0.05f) {
          sd[x] = cv::GC_BGD;
          ++skinSeeds;
        } else {
          sd[x] = p[x] > 0.5f ? cv::GC_PR_FGD : cv::GC_PR_BGD;
        }
      }
    }
    const int minSeeds = static_cast<int>(20 * mm * mm);  // a few square centimetres each
    if (hairSeeds > minSeeds && skinSeeds > minSeeds) {
      // Background pixels would enter the skin model as "not hair": give them no vote.
      cv::Mat topBgr = bgr(top).clone();
      topBgr.setTo(cv::Scalar(0, 0, 0), ~head(top));
      cv::Mat b2, f2;
      cv::grabCut(topBgr, seeds, cv::Rect(0, 0, w, hairBottom), b2, f2, 2, cv::GC_INIT_WITH_MASK);
      for (int y = 0; y < hairBottom; ++y) {
        const std::uint8_t* hd = head.ptr<std::uint8_t>(y);
        const std::uint8_t* sd = seeds.ptr<std::uint8_t>(y);
        float* p = hair.ptr<float>(y);
        for (int x = 0; x < w; ++x) {
          if (!hd[x]) continue;
          // Keep the soft value where both agree; follow GrabCut where they disagree.
          const bool isHair = sd[x] == cv::GC_FGD || sd[x] == cv::GC_PR_FGD;
          p[x] = (isHair ? std::max(p[x], 0.75f) : std::min(p[x], 0.25f)) * anatomy(x, y);
        }
      }
    }
  }
  // A strand is thinner than a work pixel: smooth over half a millimetre.
  cv::GaussianBlur(hair, hair, cv::Size(0, 0), std::max(0.5, 0.5 * mm));

  out.confidence = counted > 0 ? certain / counted : 0;
  cv::Mat hair8, zone;
  hair.convertTo(hair8, CV_8UC1, 255);
  hair8.setTo(0, ~head);
  // The zone the preview may change: the head above the brow line, pulled in by a millimetre
  // from the background so no blur of the pigment reaches the wall behind.
  cv::erode(head, zone, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(3, 3)));
  zone.rowRange(std::clamp(static_cast<int>(std::ceil(browY)), 0, h), h).setTo(0);
  pasteInto(out.hair, hair8, roi);
  pasteInto(out.head, head, roi);
  pasteInto(out.scalpZone, zone, roi);
  // Hard cut at the brow line at full resolution too (the scaled map blurs across it).
  const int browRow = std::clamp(static_cast<int>(std::ceil(g.browY)), 0, photo.height);
  std::fill(out.scalpZone.pixels.begin() + static_cast<std::ptrdiff_t>(browRow) * photo.width,
            out.scalpZone.pixels.end(), 0);
  return out;
}

}  // namespace smp::vision
