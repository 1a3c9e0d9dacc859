#include "app/platform/camera_slot.h"

#include <algorithm>
#include <fstream>

namespace smp::platform {
namespace {

std::string firstLine(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  return line;
}

}  // namespace

std::vector<CameraChoice> listCameras(const std::filesystem::path& sysfsRoot) {
  std::vector<std::pair<int, CameraChoice>> found;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(sysfsRoot, ec)) {
    const std::string node = entry.path().filename().string();
    if (node.rfind("video", 0) != 0 || node.size() == 5 ||
        node.find_first_not_of("0123456789", 5) != std::string::npos || node.size() > 9) {
      continue;
    }
    // A USB camera shows several nodes (capture, metadata); the capture node has index 0.
    const auto index = entry.path() / "index";
    if (std::filesystem::exists(index) && firstLine(index) != "0") continue;
    std::string name = firstLine(entry.path() / "name");
    if (name.empty()) name = "Camera";
    const std::string device = "/dev/" + node;
    found.push_back({std::stoi(node.substr(5)), {"v4l2:" + device, name + " (" + device + ")"}});
  }
  std::sort(found.begin(), found.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<CameraChoice> out;
  for (auto& [number, choice] : found) out.push_back(std::move(choice));
  out.push_back({"test", "Test picture"});
  return out;
}

CameraSlot::CameraSlot(std::string why) : m_error(std::move(why)) {}

CameraSlot CameraSlot::open(const std::string& spec) {
  CameraSlot slot;
  slot.m_spec = spec;
  try {
    slot.m_camera = std::make_unique<Camera>(parseCameraSpec(spec));
    slot.m_error.clear();
  } catch (const CameraError& e) {
    slot.m_error = e.what();
  }
  return slot;
}

std::optional<engine::RgbImage> CameraSlot::latestFrame(std::uint64_t afterSequence,
                                                        std::uint64_t* sequence) {
  if (!m_camera) return std::nullopt;
  std::uint64_t own = 0;
  const std::uint64_t afterOwn = afterSequence > m_base ? afterSequence - m_base : 0;
  auto frame = m_camera->latestFrame(afterOwn, &own);
  if (!frame) return std::nullopt;
  m_last = std::max(m_last, m_base + own);
  if (sequence) *sequence = m_base + own;
  return frame;
}

bool CameraSlot::waitForFrame(std::uint64_t afterSequence, int timeoutMs) {
  return m_camera &&
         m_camera->waitForFrame(afterSequence > m_base ? afterSequence - m_base : 0, timeoutMs);
}

bool CameraSlot::switchTo(const std::string& spec) {
  std::optional<Switch> sw = beginSwitch(spec);
  if (!sw) return spec == m_spec && m_camera;
  sw->run();
  return finishSwitch(std::move(*sw));
}

std::optional<CameraSlot::Switch> CameraSlot::beginSwitch(const std::string& spec) {
  if (m_switching || (spec == m_spec && m_camera)) return std::nullopt;
  // Validate before stopping anything: a malformed spec must not cost the working camera.
  try {
    parseCameraSpec(spec);
  } catch (const CameraError& e) {
    m_error = e.what();
    return std::nullopt;
  }
  Switch sw;
  sw.m_old = std::move(m_camera);  // stopped by run(), which frees the device first
  sw.m_spec = spec;
  sw.m_previous = m_spec;
  m_base = m_last + 1;
  m_switching = true;
  return sw;
}

void CameraSlot::Switch::run() {
  m_old.reset();
  try {
    m_started = std::make_unique<Camera>(parseCameraSpec(m_spec));
    m_startedSpec = m_spec;
    return;
  } catch (const CameraError& e) {
    m_error = e.what();
  }
  if (m_previous.empty()) return;
  try {
    m_started = std::make_unique<Camera>(parseCameraSpec(m_previous));
    m_startedSpec = m_previous;
  } catch (const CameraError&) {
    // The old camera went too; m_error still says why the new one failed.
  }
}

bool CameraSlot::finishSwitch(Switch sw) {
  m_switching = false;
  m_camera = std::move(sw.m_started);
  m_spec = sw.m_startedSpec.empty() ? sw.m_previous : sw.m_startedSpec;
  m_error = sw.m_error;
  return sw.m_error.empty();
}

}  // namespace smp::platform
