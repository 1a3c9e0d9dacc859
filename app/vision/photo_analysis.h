// The once-per-photo step of the preview: find the face, derive the geometry, segment the head.
// Slow-ish (tens of milliseconds), so the kiosk runs it off the UI thread and caches the result;
// every live update after it only re-renders pigment.
#pragma once

#include "app/vision/face_finder.h"
#include "app/vision/head_segmenter.h"
#include "engine/head_analysis.h"
#include "engine/preview.h"

namespace smp::vision {

struct PhotoAnalysis {
  FaceFinding face;               // status and a calm message when the face was not found well
  engine::HeadAnalysis analysis;  // always usable: from the guide when no face was found
  SkinModel skin;                 // the client's skin, learnt from the front photo
};

PhotoAnalysis analysePhoto(const FaceFinder& finder, const engine::RgbImage& photo,
                           const engine::HeadEllipse& guide);

// The top (crown) photo: no face to find (face.status kNoFace, no message), the head's outline
// near `guide`, hair against `clientSkin` (the front photo's analysis; unknown: guessed from
// the middle of the head).
PhotoAnalysis analyseTopPhoto(const engine::RgbImage& photo, const engine::HeadEllipse& guide,
                              const SkinModel& clientSkin);

// The whole automatic pipeline in one call, exactly as the kiosk runs it: analyse, shave,
// pigment. For saving, re-rendering and command-line use; the kiosk's live preview caches the
// analysis instead (core::PreviewRenderer).
engine::PreviewResult renderAutomaticPreview(const engine::RgbImage& photo,
                                             const engine::HeadEllipse& guide,
                                             const engine::PreviewParams& params,
                                             PhotoAnalysis* analysisOut = nullptr);
// The same on the top photo (analyseTopPhoto instead of analysePhoto).
engine::PreviewResult renderAutomaticTopPreview(const engine::RgbImage& photo,
                                                const engine::HeadEllipse& guide,
                                                const SkinModel& clientSkin,
                                                const engine::PreviewParams& params,
                                                PhotoAnalysis* analysisOut = nullptr);

// One finder for the process, loaded on first use (about 60 ms to read the cascades).
const FaceFinder& sharedFaceFinder();

}  // namespace smp::vision
