// Every touch target drawn this frame, by name, with its rectangle: headless tests tap the real
// location of a button, and the accessibility check measures target sizes.
#pragma once

#include <map>
#include <optional>
#include <string>

namespace smp::ui {

struct Rect {
  float x, y, w, h;
  float centerX() const { return x + w / 2; }
  float centerY() const { return y + h / 2; }
};

class TapTargets {
 public:
  void clear() { m_targets.clear(); }
  void add(const std::string& name, Rect r) { m_targets[name] = r; }
  // Registers the ImGui item drawn last (defined in tap_targets.cpp, the only ImGui use here).
  void addLastItem(const std::string& name);
  std::optional<Rect> find(const std::string& name) const {
    auto it = m_targets.find(name);
    if (it == m_targets.end()) return std::nullopt;
    return it->second;
  }
  const std::map<std::string, Rect>& all() const { return m_targets; }

 private:
  std::map<std::string, Rect> m_targets;
};

}  // namespace smp::ui
