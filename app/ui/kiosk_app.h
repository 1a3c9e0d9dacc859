// Runs the touchscreen kiosk: store, flow, camera, background sync and the frame loop.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "app/ui/sdl_host.h"

namespace smp::ui {

struct KioskAppOptions {
  std::filesystem::path dataDir;
  std::filesystem::path assetsDir;
  std::string serverOverride;
  WindowOptions window;
  std::string camera;             // a --camera spec; empty: the one chosen in settings, else v4l2
  std::optional<long> maxFrames;  // stop after this many frames (smoke tests, screenshots)
};

// Returns the process exit code; prints a clear message on failure.
int runKioskApp(const KioskAppOptions& options);

}  // namespace smp::ui
