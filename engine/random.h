// A small, fast, portable PRNG: std:: distributions differ between standard libraries, and the
// engine promises identical bytes for identical inputs and seed on every build.
#pragma once

#include <cstdint>

namespace smp::engine {

class Random {
 public:
  explicit Random(std::uint64_t seed) : m_state(seed ^ 0x9E3779B97F4A7C15ull) { next(); }

  // splitmix64: passes BigCrush, one multiply-xorshift chain per draw.
  std::uint64_t next() {
    std::uint64_t z = (m_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, 1) with 53 bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }

 private:
  std::uint64_t m_state;
};

}  // namespace smp::engine
