// Background preview rendering.
#include "app/core/preview_renderer.h"

#include <algorithm>

#include "app/vision/photo_analysis.h"

namespace smp::core {
namespace {

bool sameStrokes(const std::vector<engine::MarkStroke>& a,
                 const std::vector<engine::MarkStroke>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const auto& x, const auto& y) {
    return x.kind == y.kind && x.radiusPx == y.radiusPx &&
           std::equal(x.points.begin(), x.points.end(), y.points.begin(), y.points.end(),
                      [](const auto& p, const auto& q) { return p.x == q.x && p.y == q.y; });
  });
}

}  // namespace

PreviewRenderer::PreviewRenderer(UiQueue* ui)
    : m_ui(ui ? *ui : m_ownQueue), m_thread([this] { loop(); }) {}

PreviewRenderer::~PreviewRenderer() {
  {
    std::lock_guard lock(m_mutex);
    m_stop = true;
  }
  m_cv.notify_all();
  m_thread.join();
}

std::uint64_t PreviewRenderer::request(std::shared_ptr<const engine::RgbImage> photo,
                                       engine::HeadEllipse guide, engine::PreviewParams params,
                                       engine::HeadView view,
                                       std::shared_ptr<const engine::RgbImage> front,
                                       engine::HeadEllipse frontGuide) {
  std::lock_guard lock(m_mutex);
  m_pending =
      Job{++m_nextGeneration, std::move(photo), guide, params, view, std::move(front), frontGuide};
  if (m_busy) m_cancel = true;  // the render in flight is stale now
  m_cv.notify_all();
  return m_nextGeneration;
}

std::optional<engine::PreviewResult> PreviewRenderer::takeResult(std::uint64_t* generation) {
  if (&m_ui == &m_ownQueue) m_ownQueue.runPosted();  // else the frame loop runs the app's queue
  if (!m_shown) return std::nullopt;
  if (generation) *generation = m_shownGeneration;
  auto out = std::move(m_shown);
  m_shown.reset();
  return out;
}

std::string PreviewRenderer::faceTroubleKey() const {
  return m_shownFinding && m_shownFinding->status != vision::FaceStatus::kFound
             ? m_shownFinding->messageKey
             : "";
}

void PreviewRenderer::deliver(std::optional<engine::PreviewResult> result, std::uint64_t generation,
                              std::optional<vision::FaceFinding> finding) {
  if (!result && !finding) return;
  // std::function needs a copyable closure: the result travels in a shared_ptr.
  auto payload = std::make_shared<
      std::pair<std::optional<engine::PreviewResult>, std::optional<vision::FaceFinding>>>(
      std::move(result), std::move(finding));
  m_ui.post(m_lifeline.guard([this, payload, generation] {
    if (payload->second) m_shownFinding = std::move(payload->second);
    if (payload->first) {
      m_shown = std::move(payload->first);
      m_shownGeneration = generation;
    }
  }));
}

void PreviewRenderer::waitFor(std::uint64_t generation) {
  std::unique_lock lock(m_mutex);
  m_cv.wait(lock, [&] { return m_doneGeneration >= generation || m_stop; });
}

PreviewRenderer::PhotoCache& PreviewRenderer::frontAnalysed(
    const std::shared_ptr<const engine::RgbImage>& photo, const engine::HeadEllipse& guide,
    std::optional<vision::FaceFinding>& finding) {
  PhotoCache& front = m_caches[0];
  if (front.photo != photo.get() || !front.analysis) {
    front = PhotoCache{};
    front.analysis = vision::analysePhoto(vision::sharedFaceFinder(), *photo, guide);
    front.photo = photo.get();
    front.keepAlive = photo;
    finding = front.analysis->face;
  }
  return front;
}

PreviewRenderer::PhotoCache& PreviewRenderer::analysed(
    const Job& job, std::optional<vision::FaceFinding>& finding) {
  if (job.view == engine::HeadView::kFront) return frontAnalysed(job.photo, job.guide, finding);
  // The top view learns the client's skin from their front photo's analysis.
  const vision::SkinModel skin =
      job.front ? frontAnalysed(job.front, job.frontGuide, finding).analysis->skin
                : vision::SkinModel{};
  PhotoCache& top = m_caches[1];
  if (top.photo != job.photo.get() || !top.analysis || top.skinFrom != job.front.get()) {
    top = PhotoCache{};
    top.analysis = vision::analyseTopPhoto(*job.photo, job.guide, skin);
    top.photo = job.photo.get();
    top.skinFrom = job.front.get();
    top.keepAlive = job.photo;
  }
  return top;
}

void PreviewRenderer::loop() {
  std::unique_lock lock(m_mutex);
  while (true) {
    m_cv.wait(lock, [this] { return m_stop || m_pending.has_value(); });
    if (m_stop) return;
    Job job = std::move(*m_pending);
    m_pending.reset();
    m_cancel = false;
    m_busy = true;
    lock.unlock();
    std::optional<engine::PreviewResult> result;
    std::optional<vision::FaceFinding> finding;
    try {
      PhotoCache& c = analysed(job, finding);
      const std::vector<engine::MarkStroke> zoneEdits = engine::zoneEditsOf(job.params.marks);
      if (!c.base || c.baseMode != job.params.mode || !sameStrokes(zoneEdits, c.baseZoneEdits)) {
        c.edited.reset();
        if (!zoneEdits.empty()) {
          c.edited = c.analysis->analysis;
          engine::applyZoneEdits(c.edited->layers.scalpZone, zoneEdits);
        }
        c.base = engine::makeShavedBase(*job.photo, c.edited ? *c.edited : c.analysis->analysis,
                                        job.params.mode);
        c.baseMode = job.params.mode;
        c.baseZoneEdits = zoneEdits;
      }
      engine::PreviewInput in;
      in.photo = job.photo.get();
      in.analysis = c.edited ? &*c.edited : &c.analysis->analysis;
      in.base = &*c.base;
      engine::PreviewParams params = job.params;
      const auto& k = c.calibratedFor;
      if (k && k->mode == params.mode && k->densityPerCm2 == params.densityPerCm2 &&
          k->dotDiameterMm == params.dotDiameterMm && k->fitzpatrick == params.fitzpatrick &&
          k->hairColour == params.hairColour && k->hairline == params.hairline &&
          !params.inkStrength) {
        params.inkStrength = c.inkStrength;
      }
      result = engine::renderPreview(in, params, &m_cancel);
      if (!result->cancelled && !params.inkStrength) {
        c.calibratedFor = job.params;
        c.inkStrength = result->inkStrength;
      }
      if (result->cancelled) {
        result.reset();
        ++m_cancelledCount;
      }
    } catch (const std::exception&) {
      // Parameters come from our own controls and are clamped; a failure leaves the old preview.
    }
    lock.lock();
    m_busy = false;
    if (m_pending) result.reset();  // a newer request makes this one stale: drop it
    // Posted before the generation counts as done, so waitFor() then takeResult() sees it.
    deliver(std::move(result), job.generation, std::move(finding));
    m_doneGeneration = job.generation;
    m_cv.notify_all();
  }
}

}  // namespace smp::core
