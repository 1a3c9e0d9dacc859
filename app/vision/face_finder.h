// Finds the face and eyes in a photo with OpenCV's Haar cascades (Debian's opencv-data) and
// derives the head's geometry from them: the physical scale from the distance between the pupils,
// the brow line, the skull outline and the default hairline by facial proportions.
#pragma once

#include <memory>
#include <string>

#include "engine/head_analysis.h"
#include "engine/image.h"

namespace smp::vision {

enum class FaceStatus { kFound, kNoFace, kSeveralFaces, kFaceTooSmall, kFaceCutOff, kTooDark };

struct FaceFinding {
  FaceStatus status = FaceStatus::kNoFace;
  // Calm, actionable words for the client (English; the kiosk shows its own translation by key).
  std::string message;
  std::string messageKey;  // e.g. "preview.face.none"
  // Always usable: from the face when found, else from the head-outline guide the client framed.
  engine::FaceGeometry geometry;
  bool eyesFound = false;  // both pupils found (else placed from the face box)
};

// Loaded once; thread-safe (one detection at a time, guarded inside).
class FaceFinder {
 public:
  // Folder of haarcascade_frontalface_default.xml and haarcascade_eye.xml. Throws
  // std::runtime_error naming the file when a cascade cannot be loaded.
  explicit FaceFinder(const std::string& cascadeDir = defaultCascadeDir());
  ~FaceFinder();
  FaceFinder(const FaceFinder&) = delete;
  FaceFinder& operator=(const FaceFinder&) = delete;

  // `guide` is the head outline shown while the photo was taken: the fallback geometry.
  FaceFinding find(const engine::RgbImage& photo, const engine::HeadEllipse& guide) const;

  static std::string defaultCascadeDir();

 private:
  struct Cascades;
  std::unique_ptr<Cascades> m_cascades;
};

// Half the distance between the frontotemporal points (the hairline's corners, above the outer
// corners of the eyes), adult mean: the front view places them from it, the top view too.
inline constexpr double kFrontotemporalHalfMm = 46;

// Geometry by proportions from pupils alone (also used for the fallback from a guide).
engine::FaceGeometry geometryFromPupils(double leftX, double leftY, double rightX, double rightY);
engine::FaceGeometry geometryFromGuide(const engine::HeadEllipse& guide);

}  // namespace smp::vision
