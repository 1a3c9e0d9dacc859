// Full-resolution photos (12 MP) are split into bands of rows, one per core, for the passes
// that touch every pixel. Each band writes only its own rows, so the result is the same as in
// one thread, to the bit. Small images (the kiosk's 1.2 MP live preview) stay on the calling
// thread: starting threads would cost more than it saves.
#pragma once

#include <algorithm>
#include <thread>
#include <vector>

namespace smp::engine {

// Pixels from which a pass is split across cores.
inline constexpr long kParallelFromPixels = 4'000'000;

// Calls f(y0, y1) for bands of rows covering [0, height), on up to four threads.
template <typename F>
void forEachRowBand(int width, int height, F f) {
  const long pixels = static_cast<long>(width) * height;
  const int cores =
      static_cast<int>(std::min(4u, std::max(1u, std::thread::hardware_concurrency())));
  const int bands = pixels >= kParallelFromPixels ? std::min(cores, std::max(1, height)) : 1;
  if (bands == 1) {
    f(0, height);
    return;
  }
  std::vector<std::thread> threads;
  for (int b = 1; b < bands; ++b)
    threads.emplace_back(f, height * b / bands, height * (b + 1) / bands);
  f(0, height / bands);
  for (std::thread& t : threads) t.join();
}

}  // namespace smp::engine
