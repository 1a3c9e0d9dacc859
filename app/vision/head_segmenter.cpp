// Works on a copy at about 0.75 px/mm (a head some 115 px wide): GrabCut's cost grows with the
// pixel count, and hair-versus-skin is a millimetre-scale question. The soft maps are scaled
// back to the photo at the end.
#include "app/vision/head_segmenter.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <stdexcept>
#include <vector>

#include "app/vision/face_finder.h"
#include "app/vision/opencv_on_cpu.h"
#include "engine/color.h"

namespace smp::vision {
namespace {

constexpr double kWorkPxPerMm = 0.75;
constexpr double kShadowKeepsChroma = 0.8;      // of the skin's chroma: skin in shadow keeps it
constexpr double kHeadBreadthMm = 150;          // adult head breadth, ear to ear above the ears
constexpr double kTopHairlineDepth = 0.7;       // mid-frontal point, in outline radii below centre
constexpr double kTopZoneWithinOutline = 0.97;  // of the outline's radii
constexpr double kHeadStandsOutDeltaE = 6;      // mean CIELAB difference, head against the rest
constexpr double kTexturePxPerMm = 3;           // strands are measured at up to this resolution
constexpr double kTextureMidGrey = 128;         // texture is measured as if the level were this
constexpr double kTextureDarkestLevel = 16;     // below this a level is sensor noise, not skin
constexpr double kTextureGain = 8;  // grey levels of strand contrast to GrabCut's 0-255 channel
constexpr double kShadeLoosensHue = 0.8;      // of the skin's lightness: in shadow below this
constexpr double kShadowHueTolerance = 0.35;  // hue differences count this much there
constexpr int kOutlineMeanSide = 9;           // work pixels: the sides' colours are taken over this
constexpr double kOutlineTextureWeight = 1;   // texture (grey levels) against colour (CIELAB)
// Grey levels: a camera's noise floor; skin measured smoother counts as this.
constexpr double kMinSkinTexture = 2;
constexpr double kSmoothAsSkin = 1.1;    // fine texture, in skin textures: as smooth as skin
constexpr double kStrandsTexture = 1.8;  // and from here on, strands
// Of the skin's lightness: darker than this, and without the skin's chroma, is hair.
constexpr double kHalfAsLightIsHair = 0.55;

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

// An 8-bit RGB work image in CIELAB as floats: L 0-100, a and b about -127..127.
cv::Mat labOf(const cv::Mat& rgb) {
  cv::Mat lab;
  rgb.convertTo(lab, CV_32FC3, 1.0 / 255);
  cv::cvtColor(lab, lab, cv::COLOR_RGB2Lab);
  return lab;
}

// The head's outline at the photo's own resolution. GrabCut decides at the work size, whose
// pixels are 1.3 mm, so its edge can sit a work pixel out on the wall. Along that edge (the
// work pixels between the head and the background, each eroded by two), each photo pixel goes
// to the side it resembles more nearby (the mean over kOutlineMeanSide work pixels of the
// head's side and of the background's side), softly where it is between the two (a wisp, an
// antialiased edge). It is compared by colour and by fine texture, so grey hair in front of a
// wall of the same greys stays hair. The means are taken at the work size (a full-size box
// filter cost 135 ms a photo); only the edge's photo pixels are looked at one by one.
// `labWork`, `texture`, `headWork`: the work-size CIELAB, fine texture and head (0/255);
// `headUp`: that head scaled to `rgbRoi` with a linear ramp at the edge, refined in place.
void refineOutline(const cv::Mat& rgbRoi, const cv::Mat& labWork, const cv::Mat& texture,
                   const cv::Mat& headWork, cv::Mat& headUp) {
  const cv::Mat kernel = cv::getStructuringElement(cv::MORPH_RECT, cv::Size(5, 5));
  cv::Mat inside, outside;
  cv::erode(headWork, inside, kernel);
  cv::erode(~headWork, outside, kernel);
  if (cv::countNonZero(inside) == 0 || cv::countNonZero(outside) == 0) return;
  std::vector<cv::Mat> ch;
  cv::split(labWork, ch);
  ch.push_back(texture * kOutlineTextureWeight);
  const cv::Size box(kOutlineMeanSide, kOutlineMeanSide);
  auto localMean = [&](const cv::Mat& where, cv::Mat& mean, cv::Mat& weight) {
    cv::Mat w;
    where.convertTo(w, CV_32F, 1.0 / 255);
    std::vector<cv::Mat> weighted(ch.size());
    for (std::size_t c = 0; c < ch.size(); ++c) {
      weighted[c] = ch[c].mul(w);
      cv::blur(weighted[c], weighted[c], box);
    }
    cv::blur(w, weight, box);
    cv::merge(weighted, mean);
  };
  cv::Mat inMean, inWeight, outMean, outWeight;
  localMean(inside, inMean, inWeight);
  localMean(outside, outMean, outWeight);
  const double toWorkX = static_cast<double>(headWork.cols) / rgbRoi.cols;
  const double toWorkY = static_cast<double>(headWork.rows) / rgbRoi.rows;
  for (int y = 0; y < headUp.rows; ++y) {
    const int wy = std::min(headWork.rows - 1, static_cast<int>(y * toWorkY));
    const std::uint8_t* in = inside.ptr<std::uint8_t>(wy);
    const std::uint8_t* out = outside.ptr<std::uint8_t>(wy);
    std::uint8_t* hd = headUp.ptr<std::uint8_t>(y);
    const std::uint8_t* rgb = rgbRoi.ptr<std::uint8_t>(y);
    for (int x = 0; x < headUp.cols; ++x) {
      const int wx = std::min(headWork.cols - 1, static_cast<int>(x * toWorkX));
      if (in[wx] || out[wx]) continue;  // away from the edge: GrabCut's answer stands
      const float wi = inWeight.at<float>(wy, wx), wo = outWeight.at<float>(wy, wx);
      if (wi < 0.01f || wo < 0.01f) continue;  // one side not in reach: keep the ramp
      const engine::Lab lab = engine::srgbToLab(rgb + 3 * x);
      const cv::Vec4f p(static_cast<float>(lab.L), static_cast<float>(lab.a),
                        static_cast<float>(lab.b),
                        static_cast<float>(texture.at<float>(wy, wx) * kOutlineTextureWeight));
      const cv::Vec4f mi = inMean.at<cv::Vec4f>(wy, wx) / wi,
                      mo = outMean.at<cv::Vec4f>(wy, wx) / wo;
      const double di = cv::norm(p - mi), dout = cv::norm(p - mo);
      const double alpha = dout * dout / std::max(1e-6, di * di + dout * dout);
      // Sharpen the split: a pixel clearly nearer one side belongs to it.
      hd[x] =
          cv::saturate_cast<std::uint8_t>(255.0 * std::clamp((alpha - 0.5) * 2.5 + 0.5, 0.0, 1.0));
    }
  }
}

// The maps at work resolution become the photo's: hair smoothed over half a millimetre (a
// strand is thinner than a work pixel), and the zone the preview may change: the head above
// row `zoneEnd`, pulled in by a millimetre from the background so no blur of the pigment
// reaches the wall behind. The head's outline is refined at the photo's resolution
// (refineOutline), and hair and zone stay within it.
void finishLayers(cv::Mat& hair, const cv::Mat& head, int zoneEnd, double mm, const cv::Rect& roi,
                  const cv::Mat& rgbRoi, const cv::Mat& labWork, const cv::Mat& texture,
                  engine::HeadLayers& out, const cv::Mat& zoneWithin = cv::Mat()) {
  cv::GaussianBlur(hair, hair, cv::Size(0, 0), std::max(0.5, 0.5 * mm));
  cv::Mat hair8, zone;
  hair.convertTo(hair8, CV_8UC1, 255);
  hair8.setTo(0, ~head);
  cv::erode(head, zone, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(3, 3)));
  zone.rowRange(std::clamp(zoneEnd, 0, zone.rows), zone.rows).setTo(0);
  if (!zoneWithin.empty()) zone &= zoneWithin;
  cv::Mat headUp, hairUp, zoneUp;
  cv::resize(head, headUp, roi.size(), 0, 0, cv::INTER_LINEAR);
  cv::resize(hair8, hairUp, roi.size(), 0, 0, cv::INTER_LINEAR);
  cv::resize(zone, zoneUp, roi.size(), 0, 0, cv::INTER_LINEAR);
  refineOutline(rgbRoi, labWork, texture, head, headUp);
  hairUp = cv::min(hairUp, headUp);
  zoneUp = cv::min(zoneUp, headUp);
  auto paste = [&](engine::GrayImage& to, const cv::Mat& from) {
    for (int y = 0; y < roi.height; ++y)
      std::copy_n(from.ptr<std::uint8_t>(y), roi.width, &to.at(roi.x, roi.y + y));
  };
  paste(out.hair, hairUp);
  paste(out.head, headUp);
  paste(out.scalpZone, zoneUp);
}

// Fine texture: the contrast of strands at the half-millimetre scale, over a millimetre. Hair
// has it; a wall behind the client (flat, or out of focus) and smooth skin have little. It is
// measured on the photo at up to kTexturePxPerMm, finer than the work copy (whose 1.3 mm pixels
// average strands away), and brought to the work size. In grey levels at mid-grey (0-255).
cv::Mat fineTexture(const cv::Mat& rgbRoi, double pxPerMm, cv::Size workSize) {
  const double s = std::min(1.0, kTexturePxPerMm / std::max(0.1, pxPerMm));
  cv::Mat grey;
  cv::cvtColor(rgbRoi, grey, cv::COLOR_RGB2GRAY);
  if (s < 1) cv::resize(grey, grey, cv::Size(), s, s, cv::INTER_AREA);
  grey.convertTo(grey, CV_32F);
  const double mm = pxPerMm * s;
  cv::Mat smooth, energy;
  cv::GaussianBlur(grey, smooth, cv::Size(0, 0), 0.5 * mm);
  const cv::Mat detail = grey - smooth;
  cv::GaussianBlur(detail.mul(detail), energy, cv::Size(0, 0), 1.0 * mm);
  cv::sqrt(energy, energy);
  // Contrast relative to the local level (as the eye sees it), in grey levels at mid-grey:
  // black strands on very dark skin differ by a few grey levels, as much relatively as grey
  // strands on pale skin by twenty (the type VI mannequin's hair was found at 0.09 before).
  cv::Mat level;
  cv::GaussianBlur(grey, level, cv::Size(0, 0), 1.0 * mm);
  level = cv::max(level, kTextureDarkestLevel);
  energy = energy.mul(kTextureMidGrey / level);
  // A single edge (the head's outline against the wall, drawn or photographed) has energy in a
  // ridge a millimetre or two wide either side of it; hair has it over an area. The local
  // minimum over 2 mm keeps areas and removes ridges, so the outline's wall side is not "hair".
  const int k = std::max(3, static_cast<int>(std::lround(2 * mm)) | 1);
  cv::erode(energy, energy, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(k, k)));
  cv::Mat out;
  cv::resize(energy, out, workSize, 0, 0, cv::INTER_AREA);
  return out;
}

// What GrabCut separates the head from the background with: lightness, warmth (CIELAB a + b:
// skin and hair are warm, most walls neutral or cool) and fine texture. Colour alone took grey
// hair against a pale wall for wall (a real portrait lost the whole side of his head), and dark
// stubble against a dark window likewise; strands have texture a wall behind them lacks.
cv::Mat headFeatures(const cv::Mat& rgbWork, const cv::Mat& texture) {
  cv::Mat lab8;
  cv::cvtColor(rgbWork, lab8, cv::COLOR_RGB2Lab);
  cv::Mat features(rgbWork.size(), CV_8UC3);
  for (int y = 0; y < rgbWork.rows; ++y) {
    const cv::Vec3b* l = lab8.ptr<cv::Vec3b>(y);
    const float* t = texture.ptr<float>(y);
    cv::Vec3b* f = features.ptr<cv::Vec3b>(y);
    for (int x = 0; x < rgbWork.cols; ++x) {
      f[x] = cv::Vec3b(l[x][0], static_cast<std::uint8_t>((l[x][1] + l[x][2]) / 2),
                       cv::saturate_cast<std::uint8_t>(kTextureGain * t[x]));
    }
  }
  return features;
}

// Samples the skin model from rectangles of a CIELAB work image: medians and robust spreads.
class SkinSampler {
 public:
  // `texture` (optional): the fine texture at the work size (fineTexture).
  explicit SkinSampler(const cv::Mat& lab, const cv::Mat& texture = cv::Mat())
      : m_lab(lab), m_texture(texture) {}
  void add(double x0, double y0, double x1, double y1) {
    for (int y = std::max(0, static_cast<int>(y0)); y < std::min(m_lab.rows, static_cast<int>(y1));
         ++y) {
      for (int x = std::max(0, static_cast<int>(x0));
           x < std::min(m_lab.cols, static_cast<int>(x1)); ++x) {
        const cv::Vec3f p = m_lab.at<cv::Vec3f>(y, x);
        m_l.push_back(p[0]);
        m_a.push_back(p[1]);
        m_b.push_back(p[2]);
        if (!m_texture.empty()) m_t.push_back(m_texture.at<float>(y, x));
      }
    }
  }
  SkinModel model() const {
    SkinModel m;
    if (m_l.empty()) return m;
    m.known = true;
    m.L = medianOf(m_l);
    m.a = medianOf(m_a);
    m.b = medianOf(m_b);
    m.spreadL = std::max(4.0, madOf(m_l, m.L));
    m.spreadA = std::max(2.0, madOf(m_a, m.a));
    m.spreadB = std::max(2.5, madOf(m_b, m.b));
    if (!m_t.empty()) m.texture = std::max(kMinSkinTexture, medianOf(m_t));
    return m;
  }

 private:
  const cv::Mat& m_lab;
  cv::Mat m_texture;
  std::vector<float> m_l, m_a, m_b, m_t;
};

// How much each head pixel in rows [0, rows) looks like hair rather than this client's skin
// (0-1), times `allowed` (anatomy: where hair can grow). Chroma separates grey, white and dark
// hair (near neutral) from skin; hue separates blond hair (yellower) from skin; lightness
// catches dark hair; texture (strands at the millimetre scale; skin is smooth there) catches the
// rest. `confidence` receives how clearly pixels fell to one side (0-1).
template <typename Allowed>
cv::Mat hairProbability(const cv::Mat& lab, const cv::Mat& head, const SkinModel& skin, int rows,
                        double mm, Allowed allowed, double* confidence,
                        const cv::Mat& fine = cv::Mat()) {
  const bool useFine = !fine.empty() && skin.texture > 0;
  const int w = lab.cols;
  cv::Mat lightness, mean1, sq1;
  cv::extractChannel(lab, lightness, 0);
  const int k = std::max(3, static_cast<int>(std::lround(1.4 * mm)) | 1);
  cv::blur(lightness, mean1, cv::Size(k, k));
  cv::blur(lightness.mul(lightness), sq1, cv::Size(k, k));
  const double skinChroma = std::hypot(skin.a, skin.b);
  cv::Mat hair(lab.rows, w, CV_32FC1, cv::Scalar(0));
  double certain = 0, counted = 0;
  for (int y = 0; y < rows; ++y) {
    const std::uint8_t* hd = head.ptr<std::uint8_t>(y);
    float* row = hair.ptr<float>(y);
    for (int x = 0; x < w; ++x) {
      if (!hd[x]) continue;
      const float allowedHere = allowed(x, y);
      if (allowedHere <= 0) continue;
      const cv::Vec3f p = lab.at<cv::Vec3f>(y, x);
      const double var =
          std::max(0.0f, sq1.at<float>(y, x) - mean1.at<float>(y, x) * mean1.at<float>(y, x));
      const double texture = std::sqrt(var) / skin.spreadL;  // strands in a millimetre window
      // Shading lowers lightness, and chroma with it; but smooth skin in shadow may keep its
      // full chroma (a temple turned from the light on a real portrait: half the lightness, the
      // same chroma), which brown hair of the skin's hue does not. Such a pixel is compared with
      // the skin's own colour, not the shaded one, and is not "hair for being dark".
      const double shade = std::clamp(p[0] / std::max(1.0, skin.L), 0.3, 1.3);
      const double chroma = std::hypot(p[1], p[2]);
      const bool skinInShadow = shade < 1 && chroma >= kShadowKeepsChroma * skinChroma;
      const double t = skinInShadow ? 1.0 : shade;
      const double da = (p[1] - skin.a * t) / skin.spreadA, db = (p[2] - skin.b * t) / skin.spreadB;
      double d2 = da * da + db * db;
      // Skin turned from the light also turns yellower (the key light is warm-white, the fill
      // it gets instead is bounced off warmer surfaces): on a real portrait the shaded temple
      // kept its chroma but moved 4 in a and 5 in b, two spreads each. Its hue is judged more
      // loosely.
      if (skinInShadow && shade < kShadeLoosensHue) d2 *= kShadowHueTolerance;
      // Neutral is grey, white or black hair, unless it is a smooth highlight lighter than the
      // skin: the sheen on a forehead (found on a real dark-skin portrait) has no strands.
      const bool sheen = p[0] > skin.L + 4 && texture < 0.9;
      if (chroma < 0.45 * skinChroma * shade && !sheen) d2 += 9;
      // Much darker than the skin is hair, unless it keeps the skin's chroma: that is skin in
      // shadow (a temple turned from the light).
      // On dark skin 14 below it is near black, and black hair is the skin's colour in deep
      // shadow to the last digit (the type VI mannequin's hair: L* 7 against 23, the same hue
      // and the same chroma per lightness): there, under half the skin's lightness is hair.
      const double dark = std::max((skin.L - p[0] - 14) / 6, (kHalfAsLightIsHair * skin.L - p[0]) /
                                                                 (0.05 * std::max(1.0, skin.L)));
      if (dark > 0 && !skinInShadow) d2 += dark * dark;
      if (useFine) {
        // Strands at the half-millimetre scale, against the client's own skin there: a shaded
        // temple is as smooth as the forehead, hair is not (on the real portraits hair measured
        // 1.5 and 6 skin textures, the shaded temples and hairline skin 1.0-1.2).
        const double strands = fine.at<float>(y, x) / skin.texture;
        if (strands < kSmoothAsSkin) d2 *= 0.6;
        if (strands > kStrandsTexture) d2 += (strands - kStrandsTexture) * 4;
      } else if (texture > 1.5) {
        d2 += (texture - 1.5) * 2;
      }
      const double skinLike = std::exp(-0.5 * d2 / 4.0);  // 2 sigma still counts as skin
      const double hairProb = (1.0 - skinLike) * allowedHere;
      row[x] = static_cast<float>(hairProb);
      certain += std::abs(hairProb - 0.5) * 2;
      counted += 1;
    }
  }
  *confidence = counted > 0 ? certain / counted : 0;
  return hair;
}

// Refinement: GrabCut again, hair against skin in rows [0, rows), seeded by the certain pixels,
// so this client's own hair and skin colours decide the doubtful ones (a shaded forehead, a
// highlight on grey hair).
template <typename Allowed>
void refineHair(const cv::Mat& bgr, const cv::Mat& head, cv::Mat& hair, int rows, double mm,
                Allowed allowed) {
  if (rows <= 8) return;
  const int w = bgr.cols;
  cv::Mat seeds(rows, w, CV_8UC1, cv::Scalar(cv::GC_BGD));
  int hairSeeds = 0, skinSeeds = 0;
  for (int y = 0; y < rows; ++y) {
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
  if (hairSeeds <= minSeeds || skinSeeds <= minSeeds) return;
  // Background pixels would enter the skin model as "not hair": give them no vote.
  const cv::Rect top(0, 0, w, rows);
  cv::Mat topBgr = bgr(top).clone();
  topBgr.setTo(cv::Scalar(0, 0, 0), ~head(top));
  cv::Mat b2, f2;
  cv::grabCut(topBgr, seeds, top, b2, f2, 2, cv::GC_INIT_WITH_MASK);
  for (int y = 0; y < rows; ++y) {
    const std::uint8_t* hd = head.ptr<std::uint8_t>(y);
    const std::uint8_t* sd = seeds.ptr<std::uint8_t>(y);
    float* p = hair.ptr<float>(y);
    for (int x = 0; x < w; ++x) {
      if (!hd[x]) continue;
      // Keep the soft value where both agree; follow GrabCut where they disagree.
      const bool isHair = sd[x] == cv::GC_FGD || sd[x] == cv::GC_PR_FGD;
      p[x] = (isHair ? std::max(p[x], 0.75f) : std::min(p[x], 0.25f)) * allowed(x, y);
    }
  }
}

}  // namespace

engine::HeadLayers segmentHead(const engine::RgbImage& photo, const engine::FaceGeometry& g,
                               SkinModel* skinOut) {
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
  const cv::Mat texture = fineTexture(rgb(roi), g.pxPerMm, small.size());
  cv::grabCut(headFeatures(small, texture), gc, all, bgdModel, fgdModel, 2, cv::GC_INIT_WITH_MASK);
  cv::Mat head = (gc == cv::GC_FGD) | (gc == cv::GC_PR_FGD);  // 255 / 0
  cv::morphologyEx(head, head, cv::MORPH_OPEN,
                   cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(3, 3)));

  // 2. The client's own skin, from the forehead just above the brows and the cheeks.
  const cv::Mat lab = labOf(small);
  SkinSampler sampler(lab, texture);
  const double browY = (g.browY - roi.y) * scale;
  sampler.add(midX - 22 * mm, browY - 14 * mm, midX + 22 * mm, browY - 3 * mm);  // forehead
  for (double side : {-1.0, 1.0}) {                                              // cheeks
    const double cx = midX + side * 30 * mm;
    sampler.add(cx - 8 * mm, eyeY + 18 * mm, cx + 8 * mm, eyeY + 34 * mm);
  }
  const SkinModel skin = sampler.model();
  if (skinOut) *skinOut = skin;

  // 3. Per pixel: how much it looks like this client's skin, above the eyes.
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
  cv::Mat hair =
      hairProbability(lab, head, skin, hairBottom, mm, anatomy, &out.confidence, texture);
  // 4. Refinement against this client's own colours.
  refineHair(bgr, head, hair, hairBottom, mm, anatomy);
  // The zone the preview may change: the head above the brow line.
  finishLayers(hair, head, static_cast<int>(std::ceil(browY)), mm, roi, rgb(roi), lab, texture,
               out);
  // Hard cut at the brow line at full resolution too (the scaled map blurs across it).
  const int photoBrowRow = std::clamp(static_cast<int>(std::ceil(g.browY)), 0, photo.height);
  std::fill(out.scalpZone.pixels.begin() + static_cast<std::ptrdiff_t>(photoBrowRow) * photo.width,
            out.scalpZone.pixels.end(), 0);
  return out;
}

TopOfHead segmentTopOfHead(const engine::RgbImage& photo, const engine::HeadEllipse& guide,
                           const SkinModel& clientSkin) {
  useOpenCvOnTheCpuOnly();
  if (photo.empty()) throw std::invalid_argument("segmentTopOfHead: the photo is empty");
  cv::theRNG() = cv::RNG(0x5EED5EEDu);  // deterministic GrabCut, as in segmentHead
  const cv::Mat rgb(photo.height, photo.width, CV_8UC3,
                    const_cast<std::uint8_t*>(photo.pixels.data()));
  TopOfHead top;
  top.layers.hair = engine::GrayImage(photo.width, photo.height, 0);
  top.layers.head = top.layers.hair;
  top.layers.scalpZone = top.layers.hair;
  // The guide is a head-sized outline: a first guess of the scale, to pick the working size.
  const double guessPxPerMm = 2 * guide.radiusX / kHeadBreadthMm;
  const double scale = std::min(1.0, kWorkPxPerMm / std::max(0.1, guessPxPerMm));
  const cv::Rect roi =
      cv::Rect(static_cast<int>(guide.centerX - 1.6 * guide.radiusX),
               static_cast<int>(guide.centerY - 1.6 * guide.radiusY),
               static_cast<int>(3.2 * guide.radiusX), static_cast<int>(3.2 * guide.radiusY)) &
      cv::Rect(0, 0, photo.width, photo.height);
  top.geometry.view = engine::HeadView::kTop;
  if (roi.width < 8 || roi.height < 8) return top;
  cv::Mat small, bgr;
  cv::resize(rgb(roi), small, cv::Size(), scale, scale, cv::INTER_AREA);
  cv::cvtColor(small, bgr, cv::COLOR_RGB2BGR);
  const cv::Mat lab = labOf(small);
  const int w = small.cols, h = small.rows;
  engine::HeadEllipse seed = guide;
  seed.centerX -= roi.x;
  seed.centerY -= roi.y;

  // 1. The head against what is around it (the wall, the shoulders): GrabCut from the guide.
  cv::Mat gc(h, w, CV_8UC1, cv::Scalar(cv::GC_BGD));
  ellipseMask(gc, seed, scale, 1.5, cv::GC_PR_BGD);
  ellipseMask(gc, seed, scale, 1.1, cv::GC_PR_FGD);
  ellipseMask(gc, seed, scale, 0.45, cv::GC_FGD);
  cv::Mat bgdModel, fgdModel;
  cv::grabCut(bgr, gc, cv::Rect(0, 0, w, h), bgdModel, fgdModel, 2, cv::GC_INIT_WITH_MASK);
  cv::Mat head = (gc == cv::GC_FGD) | (gc == cv::GC_PR_FGD);
  cv::morphologyEx(head, head, cv::MORPH_OPEN,
                   cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(3, 3)));
  // The head is one piece without holes (a highlight on a bald crown is not background): keep
  // the outer contour that holds the guide's centre, filled.
  {
    std::vector<std::vector<cv::Point>> contours;
    cv::findContours(head.clone(), contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
    const cv::Point2f centre(static_cast<float>(seed.centerX * scale),
                             static_cast<float>(seed.centerY * scale));
    int best = -1;
    double bestArea = 0;
    for (int i = 0; i < static_cast<int>(contours.size()); ++i) {
      const double area = cv::contourArea(contours[static_cast<std::size_t>(i)]);
      const bool holdsCentre =
          cv::pointPolygonTest(contours[static_cast<std::size_t>(i)], centre, false) >= 0;
      if (holdsCentre && area > bestArea) {
        best = i;
        bestArea = area;
      }
    }
    head.setTo(0);
    if (best < 0) return top;  // nothing head-like around the guide's centre
    cv::drawContours(head, contours, best, cv::Scalar(255), cv::FILLED);
    // A head stands out from what is around it; GrabCut keeps its certain seed even on a bare
    // wall, so a photo with no head in it would otherwise get a head-shaped zone.
    const cv::Scalar inside = cv::mean(lab, head), outside = cv::mean(lab, ~head);
    if (cv::norm(inside - outside) < kHeadStandsOutDeltaE) return top;
  }
  // 2. The outline and the scale: the head's breadth, measured across its back half (the
  //    upper half of the photo), where the ears cannot widen it.
  const cv::Rect box = cv::boundingRect(head);
  int breadth = 0, breadthLeft = box.x;
  for (int y = box.y; y < box.y + box.height / 2; ++y) {
    const std::uint8_t* row = head.ptr<std::uint8_t>(y);
    int left = -1, right = -1;
    for (int x = box.x; x < box.x + box.width; ++x) {
      if (!row[x]) continue;
      if (left < 0) left = x;
      right = x;
    }
    if (left >= 0 && right - left + 1 > breadth) {
      breadth = right - left + 1;
      breadthLeft = left;
    }
  }
  if (breadth < 8) return top;
  engine::FaceGeometry& g = top.geometry;
  g.skull = {roi.x + (breadthLeft + 0.5 * breadth) / scale,
             roi.y + (box.y + 0.5 * box.height) / scale, 0.5 * breadth / scale,
             0.5 * box.height / scale};
  g.cranium = g.skull;  // from above, the outline is the braincase
  // The head is what lies within that outline (the tops of the ears stick out beyond it), and
  // the zone the preview changes stops a little short of it: the ears join the head there, and
  // at the outline the scalp turns away from the camera.
  cv::Mat zoneWithin(h, w, CV_8UC1, cv::Scalar(0));
  {
    const cv::Point2d centre((g.skull.centerX - roi.x) * scale, (g.skull.centerY - roi.y) * scale);
    const cv::Size2d radii(g.skull.radiusX * scale, g.skull.radiusY * scale);
    cv::Mat outline(h, w, CV_8UC1, cv::Scalar(0));
    cv::ellipse(outline, centre, radii, 0, 0, 360, cv::Scalar(255), cv::FILLED, cv::LINE_8);
    head &= outline;
    cv::ellipse(zoneWithin, centre, radii * kTopZoneWithinOutline, 0, 0, 360, cv::Scalar(255),
                cv::FILLED, cv::LINE_8);
  }
  g.pxPerMm = 2 * g.skull.radiusX / kHeadBreadthMm;
  g.leftEyeX = g.rightEyeX = g.skull.centerX;  // no eyes in view: the midline
  g.leftEyeY = g.rightEyeY = g.skull.centerY + g.skull.radiusY;
  g.browY = photo.height;  // no brow line in view (the engine ignores it from above)
  // The front hairline from above: near the outline's lower edge, where the forehead curves
  // away; its corners a frontotemporal half-width either side. The client drags it anyway.
  g.hairline = {g.skull.centerX, g.skull.centerY + kTopHairlineDepth * g.skull.radiusY,
                kFrontotemporalHalfMm * g.pxPerMm};
  const double mm = g.pxPerMm * scale;

  // 3. Hair against skin, with the client's skin from the front photo; without it, from the
  //    middle of the head (the bare crown on most clients who come for SMP).
  SkinModel skin = clientSkin;
  if (!skin.known) {
    SkinSampler sampler(lab);
    const double cx = box.x + 0.5 * box.width, cy = box.y + 0.5 * box.height;
    sampler.add(cx - 0.15 * box.width, cy - 0.15 * box.height, cx + 0.15 * box.width,
                cy + 0.15 * box.height);
    skin = sampler.model();
  }
  auto anywhere = [](int, int) { return 1.0f; };  // from above, hair may grow anywhere in view
  cv::Mat hair = hairProbability(lab, head, skin, h, mm, anywhere, &top.layers.confidence);
  refineHair(bgr, head, hair, h, mm, anywhere);
  finishLayers(hair, head, h, mm, roi, rgb(roi), lab,
               fineTexture(rgb(roi), guessPxPerMm, small.size()), top.layers, zoneWithin);
  return top;
}

}  // namespace smp::vision
