// Haar cascades rather than a learnt landmark model: they ship in Debian (opencv-data), need no
// download, and find an upright frontal face in a few milliseconds on a downscaled photo. The
// numbers below are adult head proportions in millimetres (../shared/DOMAIN.md).
#include "app/vision/face_finder.h"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <opencv2/core/utility.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>
#include <stdexcept>
#include <vector>

#include "app/vision/opencv_on_cpu.h"

namespace smp::vision {
namespace {

constexpr double kPupilDistanceMm = 63;   // adult mean
constexpr double kBrowAbovePupilMm = 24;  // the top of the brows
constexpr double kGlabellaAbovePupilMm = 12;
constexpr double kForeheadHeightMm = 60;  // glabella to mid-frontal point, seen from the front
constexpr double kSkullHalfWidthMm = 76;
constexpr double kSkullHalfHeightMm = 118;  // the chin about this far below the pupils
// The braincase from the front: about as wide as it is high above its centre, which lies this
// far above the pupils, so its top is about 104 mm above them. Anthropometric tables give about
// 115 mm from the pupils to the vertex, but the vertex lies some 10 cm behind the eyes and the
// camera sees it foreshortened and from in front: on both real portraits the hair's top stood
// only 111 and 115 mm above the pupils, over 1-2 cm of hair.
constexpr double kCraniumCentreAbovePupilsMm = 28;
constexpr int kDetectSide = 640;  // detection runs on a copy this many pixels wide

FaceFinding fallback(FaceStatus status, const char* key, const char* message,
                     const engine::HeadEllipse& guide) {
  FaceFinding f;
  f.status = status;
  f.messageKey = key;
  f.message = message;
  f.geometry = geometryFromGuide(guide);
  return f;
}

}  // namespace

engine::FaceGeometry geometryFromPupils(double leftX, double leftY, double rightX, double rightY) {
  engine::FaceGeometry g;
  g.leftEyeX = leftX;
  g.leftEyeY = leftY;
  g.rightEyeX = rightX;
  g.rightEyeY = rightY;
  const double ipd = std::hypot(rightX - leftX, rightY - leftY);
  g.pxPerMm = ipd / kPupilDistanceMm;
  const double midX = 0.5 * (leftX + rightX), eyeY = 0.5 * (leftY + rightY);
  g.browY = eyeY - kBrowAbovePupilMm * g.pxPerMm;
  g.skull = {midX, eyeY, kSkullHalfWidthMm * g.pxPerMm, kSkullHalfHeightMm * g.pxPerMm};
  g.cranium = {midX, eyeY - kCraniumCentreAbovePupilsMm * g.pxPerMm, kSkullHalfWidthMm * g.pxPerMm,
               kSkullHalfWidthMm * g.pxPerMm};
  g.hairline = {midX, eyeY - (kGlabellaAbovePupilMm + kForeheadHeightMm) * g.pxPerMm,
                kFrontotemporalHalfMm * g.pxPerMm};
  return g;
}

engine::FaceGeometry geometryFromGuide(const engine::HeadEllipse& guide) {
  // The guide is drawn around the whole head, a little generously: the eyes sit at its centre.
  const double pxPerMm = 2 * guide.radiusX / (2 * kSkullHalfWidthMm * 1.03);
  const double half = 0.5 * kPupilDistanceMm * pxPerMm;
  engine::FaceGeometry g =
      geometryFromPupils(guide.centerX - half, guide.centerY, guide.centerX + half, guide.centerY);
  g.detected = false;
  return g;
}

struct FaceFinder::Cascades {
  cv::CascadeClassifier face;
  cv::CascadeClassifier eye;
  std::mutex mutex;  // detectMultiScale keeps per-classifier scratch state
};

FaceFinder::FaceFinder(const std::string& cascadeDir) : m_cascades(std::make_unique<Cascades>()) {
  useOpenCvOnTheCpuOnly();
  // OpenCV's own thread pool stays off: the analysis runs on the preview worker, one core, and
  // the UI thread keeps the other (the speed targets are per core).
  cv::setNumThreads(0);
  const std::string face = cascadeDir + "/haarcascade_frontalface_default.xml";
  const std::string eye = cascadeDir + "/haarcascade_eye.xml";
  if (!m_cascades->face.load(face)) {
    throw std::runtime_error("cannot load the face detector " + face +
                             ": install Debian's opencv-data package");
  }
  if (!m_cascades->eye.load(eye)) {
    throw std::runtime_error("cannot load the eye detector " + eye +
                             ": install Debian's opencv-data package");
  }
}

FaceFinder::~FaceFinder() = default;

std::string FaceFinder::defaultCascadeDir() {
#ifdef SMP_HAARCASCADE_DIR
  return SMP_HAARCASCADE_DIR;
#else
  return "/usr/share/opencv4/haarcascades";
#endif
}

FaceFinding FaceFinder::find(const engine::RgbImage& photo,
                             const engine::HeadEllipse& guide) const {
  useOpenCvOnTheCpuOnly();
  if (photo.empty()) {
    return fallback(FaceStatus::kNoFace, "preview.face.none",
                    "We could not see a face in the photo. You can place the hairline by hand.",
                    guide);
  }
  const cv::Mat rgb(photo.height, photo.width, CV_8UC3,
                    const_cast<std::uint8_t*>(photo.pixels.data()));
  const double scale = std::min(1.0, static_cast<double>(kDetectSide) / photo.width);
  cv::Mat small, gray;
  cv::resize(rgb, small, cv::Size(), scale, scale, cv::INTER_AREA);
  cv::cvtColor(small, gray, cv::COLOR_RGB2GRAY);
  if (cv::mean(gray)[0] < 35) {
    return fallback(FaceStatus::kTooDark, "preview.face.dark",
                    "The photo is too dark to find your face. Please retake it facing the light.",
                    guide);
  }
  cv::Mat equalised;
  cv::equalizeHist(gray, equalised);

  std::vector<cv::Rect> faces;
  const int minFace = std::max(24, static_cast<int>(0.10 * std::min(gray.cols, gray.rows)));
  {
    std::lock_guard lock(m_cascades->mutex);
    m_cascades->face.detectMultiScale(equalised, faces, 1.1, 5, 0, cv::Size(minFace, minFace));
  }
  if (faces.empty()) {
    // Equalising the whole photo spends its contrast on a bright background; a dark-skinned
    // face keeps a narrow band of grey where the cascade sees no features. Contrast equalised
    // tile by tile (CLAHE) lifts the face's own shading, so look again in that.
    cv::createCLAHE(2.5, cv::Size(8, 8))->apply(gray, equalised);
    std::lock_guard lock(m_cascades->mutex);
    m_cascades->face.detectMultiScale(equalised, faces, 1.1, 5, 0, cv::Size(minFace, minFace));
  }
  if (faces.empty()) {
    return fallback(FaceStatus::kNoFace, "preview.face.none",
                    "We could not find a face in the photo. You can place the hairline by hand, "
                    "or retake the photo looking at the camera.",
                    guide);
  }
  std::sort(faces.begin(), faces.end(),
            [](const cv::Rect& a, const cv::Rect& b) { return a.area() > b.area(); });
  const cv::Rect face = faces.front();
  // Another person: a face of similar size, apart from the first, that the detector is sure
  // of (a second pass with a stricter vote, so a pattern in the background does not count).
  int rivals = 0;
  for (std::size_t i = 1; i < faces.size(); ++i) {
    const cv::Rect& f = faces[i];
    if (f.width < 0.6 * face.width || (f & face).area() > 0) continue;
    std::vector<cv::Rect> again;
    const cv::Rect around =
        cv::Rect(f.x - f.width / 4, f.y - f.height / 4, f.width * 3 / 2, f.height * 3 / 2) &
        cv::Rect(0, 0, gray.cols, gray.rows);
    std::lock_guard lock(m_cascades->mutex);
    m_cascades->face.detectMultiScale(equalised(around), again, 1.05, 12, 0,
                                      cv::Size(f.width * 3 / 4, f.width * 3 / 4));
    if (!again.empty()) ++rivals;
  }

  // Eyes: the best pair in the upper part of the face box, one on each side.
  std::vector<cv::Rect> eyes;
  const cv::Rect upper(face.x, face.y + face.height / 6, face.width, face.height / 2);
  {
    std::lock_guard lock(m_cascades->mutex);
    m_cascades->eye.detectMultiScale(equalised(upper), eyes, 1.08, 4, 0,
                                     cv::Size(face.width / 10, face.width / 10),
                                     cv::Size(face.width / 3, face.width / 3));
  }
  const cv::Rect* left = nullptr;
  const cv::Rect* right = nullptr;
  double best = 1e9;
  for (const cv::Rect& a : eyes) {
    for (const cv::Rect& b : eyes) {
      const double ax = a.x + a.width / 2.0, bx = b.x + b.width / 2.0;
      if (!(ax < upper.width / 2.0 && bx > upper.width / 2.0)) continue;
      const double dy = std::abs((a.y + a.height / 2.0) - (b.y + b.height / 2.0));
      const double sep = (bx - ax) / face.width;  // pupils sit about 0.4 face widths apart
      if (sep < 0.28 || sep > 0.6 || dy > 0.08 * face.width) continue;
      const double score = dy / face.width + std::abs(sep - 0.42) +
                           std::abs(a.width - b.width) / static_cast<double>(face.width);
      if (score < best) {
        best = score;
        left = &a;
        right = &b;
      }
    }
  }
  FaceFinding out;
  out.status = FaceStatus::kFound;
  double lx, ly, rx, ry;
  if (left && right) {
    out.eyesFound = true;
    lx = upper.x + left->x + left->width / 2.0;
    ly = upper.y + left->y + left->height / 2.0;
    rx = upper.x + right->x + right->width / 2.0;
    ry = upper.y + right->y + right->height / 2.0;
  } else {
    // The cascade's face box puts the pupils at these fractions of its width and height.
    lx = face.x + 0.30 * face.width;
    rx = face.x + 0.70 * face.width;
    ly = ry = face.y + 0.40 * face.height;
  }
  out.geometry = geometryFromPupils(lx / scale, ly / scale, rx / scale, ry / scale);
  out.geometry.detected = true;
  const engine::HeadEllipse& skull = out.geometry.skull;
  if (rivals > 0) {
    out.status = FaceStatus::kSeveralFaces;
    out.messageKey = "preview.face.several";
    out.message =
        "We see more than one face. The preview follows the largest; retake the photo alone "
        "for the best result.";
  } else if (face.width < 0.16 * gray.cols) {
    out.status = FaceStatus::kFaceTooSmall;
    out.messageKey = "preview.face.small";
    out.message =
        "Your face is small in the photo. Come a little closer and retake it for a "
        "sharper preview.";
  } else if (skull.centerY - 0.85 * skull.radiusY < 0 || skull.centerX - skull.radiusX < 0 ||
             skull.centerX + skull.radiusX > photo.width) {
    out.status = FaceStatus::kFaceCutOff;
    out.messageKey = "preview.face.cut_off";
    out.message =
        "The top of your head is outside the photo. Step back a little and retake it "
        "so the preview can show your whole scalp.";
  }
  return out;
}

}  // namespace smp::vision
