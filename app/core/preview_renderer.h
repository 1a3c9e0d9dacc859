// Renders previews on a background thread. Only the newest request matters: a newer one
// replaces a waiting one and cancels the one being rendered, and the UI picks up results
// without ever waiting.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "engine/preview.h"

namespace smp::core {

class PreviewRenderer {
 public:
  PreviewRenderer();
  ~PreviewRenderer();

  // Shares the photo and mask; the caller keeps no obligation to keep them alive.
  std::uint64_t request(std::shared_ptr<const engine::RgbImage> photo,
                        std::shared_ptr<const engine::GrayImage> mask,
                        engine::PreviewParams params);
  // The newest finished result, once; empty if nothing new.
  std::optional<engine::PreviewResult> takeResult(std::uint64_t* generation = nullptr);
  // Blocks until the given generation is done (for tests and headless use only).
  void waitFor(std::uint64_t generation);
  // How many renders were abandoned because a newer request arrived (for tests and figures).
  std::uint64_t cancelledCount() const { return m_cancelledCount.load(); }

 private:
  struct Job {
    std::uint64_t generation;
    std::shared_ptr<const engine::RgbImage> photo;
    std::shared_ptr<const engine::GrayImage> mask;
    engine::PreviewParams params;
  };
  void loop();

  std::mutex m_mutex;
  std::condition_variable m_cv;
  std::optional<Job> m_pending;
  std::optional<engine::PreviewResult> m_result;
  std::uint64_t m_resultGeneration = 0;
  std::uint64_t m_nextGeneration = 0;
  std::uint64_t m_doneGeneration = 0;
  bool m_stop = false;
  bool m_busy = false;
  std::atomic<bool> m_cancel{false};  // read by the engine while it renders
  std::atomic<std::uint64_t> m_cancelledCount{0};
  std::thread m_thread;
};

}  // namespace smp::core
