#include "app/vision/photo_analysis.h"

#include "app/vision/head_segmenter.h"
#include "app/vision/image_memory.h"

namespace smp::vision {

PhotoAnalysis analysePhoto(const FaceFinder& finder, const engine::RgbImage& photo,
                           const engine::HeadEllipse& guide) {
  keepFreedImageMemory();
  PhotoAnalysis out;
  out.face = finder.find(photo, guide);
  out.analysis.geometry = out.face.geometry;
  out.analysis.layers = segmentHead(photo, out.analysis.geometry, &out.skin);
  return out;
}

PhotoAnalysis analyseTopPhoto(const engine::RgbImage& photo, const engine::HeadEllipse& guide,
                              const SkinModel& clientSkin) {
  keepFreedImageMemory();
  PhotoAnalysis out;
  TopOfHead top = segmentTopOfHead(photo, guide, clientSkin);
  out.face.status = FaceStatus::kNoFace;  // none expected from above: nothing to tell the client
  out.face.geometry = top.geometry;
  out.analysis.geometry = std::move(top.geometry);
  out.analysis.layers = std::move(top.layers);
  out.skin = clientSkin;
  return out;
}

namespace {

engine::PreviewResult renderAnalysed(const engine::RgbImage& photo, PhotoAnalysis a,
                                     const engine::PreviewParams& params,
                                     PhotoAnalysis* analysisOut) {
  // Scalp added or removed by touch: the base is clipped within the edited zone.
  engine::applyZoneEdits(a.analysis.layers.scalpZone, params.marks);
  engine::PreviewInput in;
  in.photo = &photo;
  in.analysis = &a.analysis;
  engine::PreviewResult result = engine::renderPreview(in, params);
  if (analysisOut) *analysisOut = std::move(a);
  return result;
}

}  // namespace

engine::PreviewResult renderAutomaticPreview(const engine::RgbImage& photo,
                                             const engine::HeadEllipse& guide,
                                             const engine::PreviewParams& params,
                                             PhotoAnalysis* analysisOut) {
  return renderAnalysed(photo, analysePhoto(sharedFaceFinder(), photo, guide), params, analysisOut);
}

engine::PreviewResult renderAutomaticTopPreview(const engine::RgbImage& photo,
                                                const engine::HeadEllipse& guide,
                                                const SkinModel& clientSkin,
                                                const engine::PreviewParams& params,
                                                PhotoAnalysis* analysisOut) {
  return renderAnalysed(photo, analyseTopPhoto(photo, guide, clientSkin), params, analysisOut);
}

const FaceFinder& sharedFaceFinder() {
  static const FaceFinder finder;
  return finder;
}

}  // namespace smp::vision
