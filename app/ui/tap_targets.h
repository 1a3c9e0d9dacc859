// Every touch target drawn this frame, by name, with its rectangle: headless tests tap the real
// location of a button, and the accessibility check measures target sizes.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace smp::ui {

struct Rect {
  float x, y, w, h;
  float centerX() const { return x + w / 2; }
  float centerY() const { return y + h / 2; }
};

// True when two rectangles share pixels (touching edges do not).
inline bool overlaps(const Rect& p, const Rect& q) {
  return p.x < q.x + q.w && q.x < p.x + p.w && p.y < q.y + q.h && q.y < p.y + p.h;
}

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

// True when two touch targets share pixels (drag handles aside): a tap must never do two things.
inline std::vector<std::string> overlappingTargets(const std::map<std::string, Rect>& all) {
  std::vector<std::string> out;
  auto skip = [](const std::string& n) {
    return n.rfind("handle:", 0) == 0 || n.rfind("outline:", 0) == 0 || n == "consent-text";
  };
  for (auto a = all.begin(); a != all.end(); ++a) {
    for (auto b = std::next(a); b != all.end(); ++b) {
      if (skip(a->first) || skip(b->first)) continue;
      const Rect& p = a->second;
      const Rect& q = b->second;
      if (overlaps(p, q)) {
        out.push_back(a->first + " / " + b->first);
      }
    }
  }
  return out;
}

}  // namespace smp::ui
