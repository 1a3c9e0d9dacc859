// What the headless UI walks share: finger events at screen positions, and the checks every
// screenshot gets (targets at least 60 px tall, no two targets overlapping).
#pragma once

#include <SDL.h>
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "app/ui/sdl_host.h"
#include "app/ui/tap_targets.h"

namespace smp::test {

// Queues a finger event at (x, y) in screen pixels; SDL wants them normalised to the window.
inline void pushFinger(const ui::SdlHost& host, Uint32 type, float x, float y) {
  SDL_Event e{};
  e.type = type;
  e.tfinger.touchId = 1;
  e.tfinger.fingerId = 1;
  e.tfinger.x = x / static_cast<float>(host.width());
  e.tfinger.y = y / static_cast<float>(host.height());
  ASSERT_EQ(SDL_PushEvent(&e), 1);
}

// A finger pressed and lifted at (x, y), with a frame after each so ImGui sees the press and the
// release, and one more for what the tap changed.
inline void tapAt(const ui::SdlHost& host, float x, float y, const std::function<void()>& frame) {
  pushFinger(host, SDL_FINGERDOWN, x, y);
  frame();
  pushFinger(host, SDL_FINGERUP, x, y);
  frame();
  frame();
}

// Every target on the screen is at least 60 px tall (unless `exempt`), and none overlap.
inline void expectTouchableTargets(
    const ui::TapTargets& targets, const std::string& screen,
    const std::function<bool(const std::string&)>& exempt = [](const std::string&) {
      return false;
    }) {
  for (const auto& [name, rect] : targets.all()) {
    if (!exempt(name)) {
      EXPECT_GE(rect.h, 60.0f) << name << " on " << screen;
    }
  }
  for (const auto& clash : ui::overlappingTargets(targets.all()))
    ADD_FAILURE() << clash << " overlap on " << screen;
}

}  // namespace smp::test
