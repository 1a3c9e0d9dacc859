// A TCP proxy for tests that sits between the kiosk's libcurl client and the real server and,
// on a seeded schedule, breaks HTTP exchanges the way real networks do. Loopback only; every
// wait is bounded by socket timeouts.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>

namespace smp::test {

enum class Fault {
  kPass,
  kCutBeforeRequest,  // the client's request never reaches the server
  kCutMidBody,        // the server receives half a body, then the connection dies
  kCutAfterCommit,    // the server handled it (committed), the answer is lost
  kDelay,             // a slow network: 1-20 ms
  kReply503,          // an overloaded server (answered by the proxy)
  kDuplicate,         // the request reaches the server twice (a retrying middlebox)
};

class FaultProxy {
 public:
  // faultPercent of exchanges get a fault other than kPass, chosen by the seeded generator.
  FaultProxy(int upstreamPort, std::uint64_t seed, int faultPercent);
  ~FaultProxy();
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }
  void setFaultPercent(int percent) { m_faultPercent = percent; }
  std::map<Fault, int> counts();

 private:
  void acceptLoop();
  void handle(int client);
  Fault nextFault();

  int m_upstreamPort;
  int m_listen = -1;
  int m_port = 0;
  std::atomic<int> m_faultPercent;
  std::mt19937_64 m_rng;
  std::mutex m_mutex;
  std::map<Fault, int> m_counts;
  std::atomic<bool> m_stop{false};
  std::thread m_thread;
};

}  // namespace smp::test
