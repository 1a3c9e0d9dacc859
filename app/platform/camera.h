// Camera frames from GStreamer on its own streaming thread: v4l2src on a kiosk, videotestsrc
// for tests and demos, or a still image file. The UI polls for the newest frame; it never waits.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "engine/image.h"

namespace smp::platform {

class CameraError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class CameraKind { kV4l2, kTest, kFile };

struct CameraSpec {
  CameraKind kind = CameraKind::kV4l2;
  std::string path;  // for kFile; for kV4l2 the device (empty: the default one)
  int width = 1280;
  int height = 960;
};

// Parses "v4l2", "v4l2:/dev/videoN", "test" or "file:PATH"; throws CameraError with the accepted
// forms.
CameraSpec parseCameraSpec(const std::string& text);

class Camera {
 public:
  // Starts the pipeline; throws CameraError with a message for staff when it cannot start.
  explicit Camera(const CameraSpec& spec);
  ~Camera();
  Camera(const Camera&) = delete;
  Camera& operator=(const Camera&) = delete;

  // The newest frame if it is newer than `afterSequence`.
  std::optional<engine::RgbImage> latestFrame(std::uint64_t afterSequence, std::uint64_t* sequence);
  // Blocks until a frame newer than afterSequence has arrived or the timeout passes.
  bool waitForFrame(std::uint64_t afterSequence, int timeoutMs);
  bool waitForFirstFrame(int timeoutMs) { return waitForFrame(0, timeoutMs); }
  // The error the pipeline reported after starting, if any.
  std::string lastError();

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace smp::platform
