// Token buckets refilled by elapsed time; no timer thread.
#include "sync/server/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace smp::server {

bool RateLimiter::allow(const std::string& key, int& retryAfterSeconds, Clock::time_point now) {
  std::lock_guard lock(m_mutex);
  auto [it, fresh] = m_buckets.try_emplace(key, Bucket{m_limit.burst, now});
  Bucket& b = it->second;
  if (!fresh) {
    const double elapsed = std::chrono::duration<double>(now - b.updated).count();
    b.tokens = std::min(m_limit.burst, b.tokens + std::max(0.0, elapsed) * m_limit.perSecond);
    b.updated = now;
  }
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return true;
  }
  retryAfterSeconds = static_cast<int>(std::ceil((1.0 - b.tokens) / m_limit.perSecond));
  retryAfterSeconds = std::max(1, retryAfterSeconds);
  return false;
}

}  // namespace smp::server
