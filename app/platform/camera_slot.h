// The kiosk's one camera, switchable while the kiosk runs (staff settings). Screens hold the
// slot, never a Camera*, so a switch cannot leave them with a dangling pointer, and frame
// sequence numbers keep rising across switches so a screen never waits for the old count.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/platform/camera.h"

namespace smp::platform {

// A camera staff may choose: its spec (as for --camera) and a name people recognise.
struct CameraChoice {
  std::string spec;
  std::string label;
};

// The V4L2 capture devices under sysfsRoot (one entry per device: the capture node, index 0),
// then the test picture. Reads names from sysfs, so nothing is opened.
std::vector<CameraChoice> listCameras(
    const std::filesystem::path& sysfsRoot = "/sys/class/video4linux");

class CameraSlot {
 public:
  // An empty slot: no camera, with `why` as the reason shown to staff.
  explicit CameraSlot(std::string why = "no camera chosen");
  // Opens spec; a camera that cannot start leaves the slot empty with the reason in error().
  static CameraSlot open(const std::string& spec);

  const std::string& spec() const { return m_spec; }
  bool available() const { return m_camera != nullptr; }
  const std::string& error() const { return m_error; }

  // The newest frame if it is newer than afterSequence (sequences rise across switches).
  std::optional<engine::RgbImage> latestFrame(std::uint64_t afterSequence, std::uint64_t* sequence);
  // Blocks until a frame newer than afterSequence has arrived or the timeout passes.
  bool waitForFrame(std::uint64_t afterSequence, int timeoutMs);
  bool waitForFirstFrame(int timeoutMs) { return waitForFrame(0, timeoutMs); }

  // Stops the current camera and starts spec (a device cannot be opened twice). If spec cannot
  // start, the previous camera is started again and false is returned with the reason in
  // error().
  bool switchTo(const std::string& spec);

  // switchTo in three steps, so that the slow part (stopping one pipeline, starting the next:
  // up to a second on a USB camera) runs off the UI thread while the slot itself is only ever
  // touched by the UI thread:
  //   auto sw = slot.beginSwitch(spec);  // UI thread: checks spec, empties the slot
  //   sw->run();                         // any thread
  //   slot.finishSwitch(std::move(*sw)); // UI thread: installs what started; false if spec failed
  // beginSwitch returns nothing when there is nothing to run: spec is already in use, or it is
  // malformed (error() then says why).
  class Switch {
   public:
    void run();

   private:
    friend class CameraSlot;
    std::unique_ptr<Camera> m_old;
    std::unique_ptr<Camera> m_started;
    std::string m_spec, m_previous, m_startedSpec, m_error;
  };
  std::optional<Switch> beginSwitch(const std::string& spec);
  bool finishSwitch(Switch sw);
  // Between beginSwitch and finishSwitch.
  bool switching() const { return m_switching; }

 private:
  std::unique_ptr<Camera> m_camera;
  std::string m_spec;
  std::string m_error;
  std::uint64_t m_base = 0;  // added to the camera's own sequence numbers
  std::uint64_t m_last = 0;  // the highest sequence handed out
  bool m_switching = false;
};

}  // namespace smp::platform
