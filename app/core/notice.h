// What a screen tells the person in front of it after an action: a translation key with its
// arguments, and how to show it. Typed, so screens never parse or compare message strings.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace smp::core {

struct Notice {
  enum class Tone {
    kInfo,     // neutral
    kSuccess,  // the action did what was asked
    kWarning,  // it did not; the text says why and what to do
    kWorking,  // an answer is on its way (head office is being asked)
  };
  Tone tone = Tone::kInfo;
  std::string key;                // translation key; empty: nothing to say
  std::vector<std::string> args;  // for the translation's {0}, {1}, ...
  std::string detail;             // words from elsewhere (head office, the OS), shown as they are

  bool empty() const { return key.empty(); }
  static Notice success(std::string key, std::string detail = {}) {
    return {Tone::kSuccess, std::move(key), {}, std::move(detail)};
  }
  static Notice warning(std::string key, std::vector<std::string> args = {},
                        std::string detail = {}) {
    return {Tone::kWarning, std::move(key), std::move(args), std::move(detail)};
  }
  static Notice info(std::string key) { return {Tone::kInfo, std::move(key), {}, {}}; }
  static Notice working(std::string key) { return {Tone::kWorking, std::move(key), {}, {}}; }
};

}  // namespace smp::core
