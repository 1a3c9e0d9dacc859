// Requests per second per kiosk, as token buckets: a kiosk may burst (a sync after days offline)
// but cannot hold the server for everyone else.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>

namespace smp::server {

struct RateLimit {
  double perSecond = 500;  // sustained; a kiosk's sync sends a few hundred requests a second
  double burst = 2000;     // bucket size
};

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  explicit RateLimiter(RateLimit limit) : m_limit(limit) {}

  // True when `key` may make one more request now; otherwise the whole seconds until it may.
  bool allow(const std::string& key, int& retryAfterSeconds, Clock::time_point now = Clock::now());

 private:
  struct Bucket {
    double tokens;
    Clock::time_point updated;
  };
  RateLimit m_limit;
  std::mutex m_mutex;
  std::map<std::string, Bucket> m_buckets;  // one per authenticated kiosk: bounded by enrolment
};

}  // namespace smp::server
