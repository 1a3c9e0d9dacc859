// What the preview knows about the head in a photo: where the face is, the physical scale, and
// which pixels are hair, skin and background. Plain data: the vision library (app/vision) fills it
// from a real photo with OpenCV; tests and the mannequin generator fill it from ground truth.
#pragma once

#include "engine/hairline.h"
#include "engine/image.h"

namespace smp::engine {

// The head outline (crown to chin, ear to ear) in image pixels.
struct HeadEllipse {
  double centerX = 0;
  double centerY = 0;
  double radiusX = 0;
  double radiusY = 0;
};

// Which photo the geometry describes. Front: the face, brows and hairline face the camera.
// Top: the client bowed their head so the camera sees the crown; the forehead is toward the
// photo's lower edge, there are no brows in view, and the skull's outline is the head's outline.
enum class HeadView { kFront, kTop };

struct FaceGeometry {
  HeadView view = HeadView::kFront;
  bool detected = false;  // false: derived from the head-outline guide, not from a found face
  double leftEyeX = 0, leftEyeY = 0;    // pupil on the image's left
  double rightEyeX = 0, rightEyeY = 0;  // pupil on the image's right
  double browY = 0;    // top of the brows: nothing at or below it changes (front view only)
  double pxPerMm = 0;  // from the distance between the pupils (mean 63 mm)
  HeadEllipse skull;   // the head without hair, chin to crown: seeds the segmentation
  // The braincase without hair as this view shows it: the outline a buzz cut leaves above the
  // ears. From the front it is rounder and lower than `skull`, which is centred on the eyes so
  // as to reach the chin; radius 0 means "use skull".
  HeadEllipse cranium;
  HairlinePlacement hairline;  // juvenile hairline by facial proportions
};

// Soft maps at the photo's size, 0-255.
struct HeadLayers {
  GrayImage hair;         // 255 = hair
  GrayImage head;         // 255 = head (hair or skin); 0 = background
  GrayImage scalpZone;    // where the preview may change pixels: the head above the brow line
  double confidence = 0;  // 0-1: how clearly pixels fell to one class (1 = all certain)
};

struct HeadAnalysis {
  FaceGeometry geometry;
  HeadLayers layers;
};

}  // namespace smp::engine
