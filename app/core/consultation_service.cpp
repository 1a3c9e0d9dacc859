// Builds the protocol record and its blobs from a draft.
#include "app/core/consultation_service.h"

#include <stdexcept>

#include "app/imageio/image_io.h"
#include "sync/protocol/sha256.h"

namespace smp::core {
namespace {

store::BlobData makeBlob(const std::string& role, imageio::Bytes bytes, const std::string& mime) {
  store::BlobData b;
  b.ref.role = role;
  b.ref.sha256 = protocol::sha256Hex(bytes);
  b.ref.size = bytes.size();
  b.ref.mime = mime;
  b.bytes = std::move(bytes);
  return b;
}

nlohmann::json paramsJson(const engine::PreviewParams& p) {
  nlohmann::json j{{"density_per_cm2", p.densityPerCm2},
                   {"dot_diameter_mm", p.dotDiameterMm},
                   {"hairline", std::string(engine::hairlineStyleName(p.hairline))},
                   {"session_stage", p.sessionStage},
                   {"years_since_session", p.yearsSinceSession},
                   {"fitzpatrick", p.fitzpatrick},
                   {"seed", p.seed}};
  if (p.pxPerMm) j["px_per_mm"] = *p.pxPerMm;
  if (p.hairlinePlacement) {
    j["hairline_placement"] = {{"center_x", p.hairlinePlacement->centerX},
                               {"front_y", p.hairlinePlacement->frontY},
                               {"half_width", p.hairlinePlacement->halfWidth}};
  }
  return j;
}

}  // namespace

ConsultationService::ConsultationService(store::KioskStore& store, ConsentText consent,
                                         std::string kioskId)
    : m_store(store), m_consent(std::move(consent)), m_kioskId(std::move(kioskId)) {}

protocol::ConsultationRecord ConsultationService::save(const ConsultationDraft& draft) {
  if (const std::string why = validateName(draft.clientName); !why.empty()) {
    throw std::invalid_argument("name: " + why);
  }
  if (!protocol::isKnownConcern(draft.concern)) {
    throw std::invalid_argument("concern '" + draft.concern + "' is not one of the choices");
  }
  if (!draft.frontPhoto) throw std::invalid_argument("a front photo is needed");
  if (!draft.consentGiven) throw std::invalid_argument("consent has not been given");

  const engine::RgbImage& photo = *draft.frontPhoto;
  const engine::GrayImage mask = engine::proposeScalp(photo, draft.guide).mask;
  const engine::PreviewParams params = previewParamsFor(draft);
  const engine::PreviewResult preview = engine::renderPreview({&photo, &mask, nullptr}, params);

  const engine::RgbImage stored =
      imageio::downscaleToFit(photo, kStoredPhotoMaxWidth, kStoredPhotoMaxHeight);
  store::ConsultationToSave c;
  c.kioskId = m_kioskId;
  c.blobs.push_back(
      makeBlob("front", imageio::encode(stored, imageio::Format::kJpeg, 90), "image/jpeg"));
  c.blobs.push_back(makeBlob("preview", imageio::encode(preview.image, imageio::Format::kJpeg, 90),
                             "image/jpeg"));

  protocol::ConsultationRecord& r = c.record;
  r.createdAt = protocol::nowIso8601Utc();
  r.clientName = draft.clientName;
  r.concern = draft.concern;
  r.intake = nlohmann::json::object();
  r.consentTextSha256 = m_consent.sha256;
  r.consentedAt = r.createdAt;
  r.photos.push_back(c.blobs[0].ref);
  r.previews.push_back(c.blobs[1].ref);
  r.previewParams = paramsJson(params);
  r.previewParams["dot_count"] = preview.dots.size();
  return m_store.save(std::move(c));
}

}  // namespace smp::core
