// Three classes inside the head outline: skin (median and spread of log-chromaticity over the
// cheeks and forehead, robust to eyes and brows in the sample), background (colours of a ring
// just outside the outline) and hair above the eyes; smoothed over ~1.5 mm.
#include "engine/scalp_proposal.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "engine/box_blur.h"
#include "engine/engine_error.h"

namespace smp::engine {
namespace {

struct Chroma {
  float a;  // log(R/G): red-green
  float b;  // log(G/B): green-blue
  float luma;
};

Chroma chromaOf(const std::uint8_t* p) {
  const float r = p[0] + 1.0f, g = p[1] + 1.0f, b = p[2] + 1.0f;
  return {std::log(r / g), std::log(g / b), 0.299f * r + 0.587f * g + 0.114f * b};
}

float median(std::vector<float>& v) {
  auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  return *mid;
}

}  // namespace

HairlinePlacement hairlineFromHead(const HeadEllipse& head) {
  const double eyeY = head.centerY;
  const double glabellaY = eyeY - 0.07 * head.radiusY;
  const double chinY = head.centerY + head.radiusY;
  const double third = (chinY - glabellaY) / 2.0;  // glabella..chin holds two thirds of the face
  return {head.centerX, glabellaY - third, 0.60 * head.radiusX};
}

double pxPerMmFromHead(const HeadEllipse& head, double headWidthMm) {
  return 2.0 * head.radiusX / headWidthMm;
}

ScalpProposal proposeScalp(const RgbImage& photo, const HeadEllipse& head) {
  if (photo.empty()) throw EngineError(EngineErrorCode::kEmptyImage, "photo is empty");
  if (!(head.radiusX > 4 && head.radiusY > 4) || head.centerX + head.radiusX < 0 ||
      head.centerY + head.radiusY < 0 || head.centerX - head.radiusX > photo.width ||
      head.centerY - head.radiusY > photo.height) {
    throw EngineError(EngineErrorCode::kOutOfRange, "the head outline misses the photo");
  }
  const int w = photo.width, h = photo.height;
  ScalpProposal out;
  out.pxPerMm = pxPerMmFromHead(head);
  out.hairline = hairlineFromHead(head);

  // Learn the skin from the cheeks and forehead: the band from just above the brows to the
  // mouth, inner 80 % of the face width.
  std::vector<float> as, bs, lumas;
  const int sx0 = std::max(0, static_cast<int>(head.centerX - 0.40 * head.radiusX));
  const int sx1 = std::min(w, static_cast<int>(head.centerX + 0.40 * head.radiusX));
  const int sy0 = std::max(0, static_cast<int>(head.centerY - 0.35 * head.radiusY));
  const int sy1 = std::min(h, static_cast<int>(head.centerY + 0.45 * head.radiusY));
  const int step = std::max(1, static_cast<int>((sx1 - sx0) / 120));
  for (int y = sy0; y < sy1; y += step) {
    for (int x = sx0; x < sx1; x += step) {
      const Chroma c = chromaOf(photo.at(x, y));
      as.push_back(c.a);
      bs.push_back(c.b);
      lumas.push_back(c.luma);
    }
  }
  out.skinSampleCount = static_cast<double>(as.size());

  // Background model: a coarse colour histogram of a ring just outside the upper head outline
  // (below the ears there are shoulders, not background).
  constexpr int kBins = 16;  // per channel
  auto binOf = [](const std::uint8_t* p) {
    return (p[0] / 16) * kBins * kBins + (p[1] / 16) * kBins + p[2] / 16;
  };
  std::vector<float> ring(kBins * kBins * kBins, 0.0f);
  float ringMax = 0;
  for (int y = std::max(0, static_cast<int>(head.centerY - 1.3 * head.radiusY));
       y < std::min(h, static_cast<int>(head.centerY)); ++y) {
    for (int x = std::max(0, static_cast<int>(head.centerX - 1.3 * head.radiusX));
         x < std::min(w, static_cast<int>(head.centerX + 1.3 * head.radiusX)); ++x) {
      const double dx = (x + 0.5 - head.centerX) / head.radiusX,
                   dy = (y + 0.5 - head.centerY) / head.radiusY;
      const double r = std::sqrt(dx * dx + dy * dy);
      if (r < 1.06 || r > 1.3) continue;
      float& bin = ring[static_cast<std::size_t>(binOf(photo.at(x, y)))];
      bin += 1.0f;
      ringMax = std::max(ringMax, bin);
    }
  }

  // Spread each bin to its neighbours: gradients in the background span adjacent bins.
  {
    std::vector<float> smooth(ring.size(), 0.0f);
    ringMax = 0;
    for (int r = 0; r < kBins; ++r)
      for (int g = 0; g < kBins; ++g)
        for (int b = 0; b < kBins; ++b) {
          float sum = 0;
          for (int dr = -1; dr <= 1; ++dr)
            for (int dg = -1; dg <= 1; ++dg)
              for (int db = -1; db <= 1; ++db) {
                const int rr = r + dr, gg = g + dg, bb = b + db;
                if (rr < 0 || gg < 0 || bb < 0 || rr >= kBins || gg >= kBins || bb >= kBins)
                  continue;
                sum += ring[static_cast<std::size_t>((rr * kBins + gg) * kBins + bb)];
              }
          smooth[static_cast<std::size_t>((r * kBins + g) * kBins + b)] = sum;
          ringMax = std::max(ringMax, sum);
        }
    ring.swap(smooth);
  }

  std::vector<float> cover(static_cast<std::size_t>(w) * static_cast<std::size_t>(h), 0.0f);
  // Hair grows above the eyes; below them only skin counts (brows and ears are below the
  // hairline anyway, and the engine's hairline removes the face).
  const double hairZoneBottom = head.centerY - 0.1 * head.radiusY;
  if (as.size() >= 50) {
    std::vector<float> as2 = as, bs2 = bs;
    const float ma = median(as2), mb = median(bs2), ml = median(lumas);
    std::vector<float> da, db;
    for (std::size_t i = 0; i < as.size(); ++i) {
      da.push_back(std::abs(as[i] - ma));
      db.push_back(std::abs(bs[i] - mb));
    }
    // Robust spread (MAD), with a floor so an evenly lit face does not make the model brittle.
    const float sa = std::max(0.03f, 1.4826f * median(da)),
                sb = std::max(0.03f, 1.4826f * median(db));
    for (int y = 0; y < h; ++y) {
      for (int x = 0; x < w; ++x) {
        const std::uint8_t* px = photo.at(x, y);
        const Chroma c = chromaOf(px);
        const float d = std::max(std::abs(c.a - ma) / sa, std::abs(c.b - mb) / sb);
        float skin = std::clamp((2.5f - d) / 1.0f, 0.0f, 1.0f);
        if (c.luma < 0.35f * ml) skin = 0;  // dense dark hair, deep shadow: no reliable chroma
        // Highlights on a bald crown wash colour toward white but keep its direction; grey and
        // white hair is neutral and fails this.
        const float along = (c.a * ma + c.b * mb) / std::max(1e-4f, ma * ma + mb * mb);
        if (c.luma > 1.2f * ml && along > 0.45f && d < 4.0f) skin = std::max(skin, 0.8f);
        const bool background =
            ringMax > 0 && ring[static_cast<std::size_t>(binOf(px))] > 0.03f * ringMax;
        float value = skin;
        if (background && skin < 0.9f) value = 0;  // the wall behind the head, even if skin-ish
        // SMP adds density between existing hairs: hair in the hair zone takes pigment too,
        // a little less (the dots hide partly under the hair).
        else if (y < hairZoneBottom)
          value = std::max(value, 0.7f);
        cover[static_cast<std::size_t>(y) * static_cast<std::size_t>(w) +
              static_cast<std::size_t>(x)] = value;
      }
    }
  } else {
    std::fill(cover.begin(), cover.end(), 1.0f);  // the ellipse alone: no usable face sample
  }
  boxBlur(cover, w, h, std::max(1, static_cast<int>(std::lround(1.5 * out.pxPerMm))));

  out.mask = GrayImage(w, h, 0);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const double dx = (x + 0.5 - head.centerX) / head.radiusX;
      const double dy = (y + 0.5 - head.centerY) / head.radiusY;
      const double r = std::sqrt(dx * dx + dy * dy);
      // Soft 2 px edge, 3 % inside the outline (the guide is drawn a little generously).
      const double edge =
          std::clamp((0.97 - r) * std::min(head.radiusX, head.radiusY) * 0.5, 0.0, 1.0);
      const float s = cover[static_cast<std::size_t>(y) * static_cast<std::size_t>(w) +
                            static_cast<std::size_t>(x)];
      // Coverage below 25 % is noise (stray skin-coloured pixels), not scalp.
      const double coverage = std::clamp((s - 0.25) / 0.6, 0.0, 1.0);
      out.mask.at(x, y) = static_cast<std::uint8_t>(std::lround(255.0 * edge * coverage));
    }
  }
  return out;
}

}  // namespace smp::engine
