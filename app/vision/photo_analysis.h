// The once-per-photo step of the preview: find the face, derive the geometry, segment the head.
// Slow-ish (tens of milliseconds), so the kiosk runs it off the UI thread and caches the result;
// every live update after it only re-renders pigment.
#pragma once

#include "app/vision/face_finder.h"
#include "engine/head_analysis.h"
#include "engine/preview.h"

namespace smp::vision {

struct PhotoAnalysis {
  FaceFinding face;               // status and a calm message when the face was not found well
  engine::HeadAnalysis analysis;  // always usable: from the guide when no face was found
};

PhotoAnalysis analysePhoto(const FaceFinder& finder, const engine::RgbImage& photo,
                           const engine::HeadEllipse& guide);

// The whole automatic pipeline in one call, exactly as the kiosk runs it: analyse, shave,
// pigment. For saving, re-rendering and command-line use; the kiosk's live preview caches the
// analysis instead (core::PreviewRenderer).
engine::PreviewResult renderAutomaticPreview(const engine::RgbImage& photo,
                                             const engine::HeadEllipse& guide,
                                             const engine::PreviewParams& params,
                                             PhotoAnalysis* analysisOut = nullptr);

// One finder for the process, loaded on first use (about 60 ms to read the cascades).
const FaceFinder& sharedFaceFinder();

}  // namespace smp::vision
