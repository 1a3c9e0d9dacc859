// Renders previews on a background thread. Only the newest request matters: a newer one
// replaces a waiting one and cancels the one being rendered, and the UI picks up results
// without ever waiting. The slow once-per-photo step (face, segmentation, shaved base) runs on
// the same thread and is cached per photo and mode, so a live update only redoes the pigment.
// Finished renders reach the UI thread through the UiQueue, like every other worker's results.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "app/core/ui_queue.h"
#include "app/vision/photo_analysis.h"
#include "engine/preview.h"

namespace smp::core {

class PreviewRenderer {
 public:
  // Results are posted to `ui` (the frame loop runs it). Without one, the renderer keeps a
  // queue of its own and takeResult() runs it (tests and headless tools).
  explicit PreviewRenderer(UiQueue* ui = nullptr);
  ~PreviewRenderer();

  // Shares the photo; the caller keeps no obligation to keep it alive. `guide` is the head
  // outline the photo was framed in: the fallback when no face is found (front) or where the
  // head is looked for (top). A top photo's preview learns the client's skin from `front`
  // (their front photo, analysed once and cached like any photo); without it, from the crown.
  std::uint64_t request(std::shared_ptr<const engine::RgbImage> photo, engine::HeadEllipse guide,
                        engine::PreviewParams params,
                        engine::HeadView view = engine::HeadView::kFront,
                        std::shared_ptr<const engine::RgbImage> front = nullptr,
                        engine::HeadEllipse frontGuide = {});
  // UI thread. The newest result delivered so far, once; empty if nothing new.
  std::optional<engine::PreviewResult> takeResult(std::uint64_t* generation = nullptr);
  // Blocks until the given generation is done and posted (for tests and headless use only).
  void waitFor(std::uint64_t generation);
  // How many renders were abandoned because a newer request arrived (for tests and figures).
  std::uint64_t cancelledCount() const { return m_cancelledCount.load(); }
  // UI thread. What the face finder said about the newest analysed photo delivered so far.
  const std::optional<vision::FaceFinding>& faceFinding() const { return m_shownFinding; }
  // UI thread. The calm message to show when that photo's face was not found well, or "".
  std::string faceTroubleKey() const;

 private:
  struct Job {
    std::uint64_t generation;
    std::shared_ptr<const engine::RgbImage> photo;
    engine::HeadEllipse guide;
    engine::PreviewParams params;
    engine::HeadView view = engine::HeadView::kFront;
    std::shared_ptr<const engine::RgbImage> front;  // top view: whose skin to learn
    engine::HeadEllipse frontGuide;
  };
  // Worker-thread state only: the analysis and base of the last photo of each view.
  struct PhotoCache {
    const engine::RgbImage* photo = nullptr;
    const engine::RgbImage* skinFrom = nullptr;  // top view: the front photo it learnt skin from
    std::shared_ptr<const engine::RgbImage> keepAlive;
    std::optional<vision::PhotoAnalysis> analysis;
    std::optional<engine::ShavedBase> base;
    engine::PreviewMode baseMode = engine::PreviewMode::kBuzz;
    // Scalp added or removed by touch: the base is clipped within the edited zone, so it is
    // made again when these change (once per stroke, not per frame).
    std::vector<engine::MarkStroke> baseZoneEdits;
    std::optional<engine::HeadAnalysis> edited;  // the analysis with those edits, if any
    // The tone calibration of the last render, reused while only session, years or the
    // hairline change (it depends on density, dot size, skin, hair colour and mode).
    std::optional<engine::PreviewParams> calibratedFor;
    double inkStrength = 0;
  };
  void loop();
  // Worker thread: the cache of `job`'s view, analysed for its photo.
  PhotoCache& analysed(const Job& job, std::optional<vision::FaceFinding>& finding);
  // Worker thread: the front cache, analysed for `photo` (a new analysis reports its finding).
  PhotoCache& frontAnalysed(const std::shared_ptr<const engine::RgbImage>& photo,
                            const engine::HeadEllipse& guide,
                            std::optional<vision::FaceFinding>& finding);
  // Worker thread: hands a finished job's result and finding to the UI thread.
  void deliver(std::optional<engine::PreviewResult> result, std::uint64_t generation,
               std::optional<vision::FaceFinding> finding);

  UiQueue m_ownQueue;
  UiQueue& m_ui;
  // UI thread only: what has been delivered and not yet taken.
  std::optional<engine::PreviewResult> m_shown;
  std::uint64_t m_shownGeneration = 0;
  std::optional<vision::FaceFinding> m_shownFinding;
  Lifeline m_lifeline;  // results posted after the renderer is gone are dropped

  std::mutex m_mutex;
  std::condition_variable m_cv;
  std::optional<Job> m_pending;
  PhotoCache m_caches[2];  // front, top
  std::uint64_t m_nextGeneration = 0;
  std::uint64_t m_doneGeneration = 0;
  bool m_stop = false;
  bool m_busy = false;
  std::atomic<bool> m_cancel{false};  // read by the engine while it renders
  std::atomic<std::uint64_t> m_cancelledCount{0};
  std::thread m_thread;
};

}  // namespace smp::core
