#include "app/vision/photo_analysis.h"

#include "app/vision/head_segmenter.h"

namespace smp::vision {

PhotoAnalysis analysePhoto(const FaceFinder& finder, const engine::RgbImage& photo,
                           const engine::HeadEllipse& guide) {
  PhotoAnalysis out;
  out.face = finder.find(photo, guide);
  out.analysis.geometry = out.face.geometry;
  out.analysis.layers = segmentHead(photo, out.analysis.geometry);
  return out;
}

engine::PreviewResult renderAutomaticPreview(const engine::RgbImage& photo,
                                             const engine::HeadEllipse& guide,
                                             const engine::PreviewParams& params,
                                             PhotoAnalysis* analysisOut) {
  PhotoAnalysis a = analysePhoto(sharedFaceFinder(), photo, guide);
  // Scalp added or removed by touch: the base is clipped within the edited zone.
  engine::applyZoneEdits(a.analysis.layers.scalpZone, params.marks);
  engine::PreviewInput in;
  in.photo = &photo;
  in.analysis = &a.analysis;
  engine::PreviewResult result = engine::renderPreview(in, params);
  if (analysisOut) *analysisOut = std::move(a);
  return result;
}

const FaceFinder& sharedFaceFinder() {
  static const FaceFinder finder;
  return finder;
}

}  // namespace smp::vision
