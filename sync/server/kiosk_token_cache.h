// Which kiosk a token belongs to, remembered by a PostgreSQL head-office server so that a
// request from a kiosk does not cost a database round trip just to say who it is. Every server
// LISTENs on one channel, and any change of a token (revocation, rotation, enrolment), made by
// any server or by the command line, NOTIFYs it in the same transaction: every cache forgets
// everything within milliseconds of the commit. While the listening connection is down the
// cache is not used at all, and an entry lives a minute at most in any case.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>

#include "sync/server/server_storage.h"

namespace smp::server {

class KioskTokenCache {
 public:
  static constexpr const char* kChannel = "smp_kiosk_tokens";
  static constexpr std::chrono::seconds kLifetime{60};

  // Starts listening on `uri` in a thread of its own.
  explicit KioskTokenCache(std::string uri);
  ~KioskTokenCache();
  KioskTokenCache(const KioskTokenCache&) = delete;
  KioskTokenCache& operator=(const KioskTokenCache&) = delete;

  // The kiosk for a token's sha256, if remembered and the cache can be trusted now.
  std::optional<KioskIdentity> find(const std::string& tokenSha256);
  // Take before reading the database; remember() keeps the answer only if nothing was forgotten
  // in between (else a revocation that committed meanwhile could be undone by a stale answer).
  std::uint64_t generation();
  void remember(const std::string& tokenSha256, const KioskIdentity& kiosk,
                std::uint64_t generationBefore);
  // After this process changed a token (its own NOTIFY reaches it too, a moment later).
  void forgetAll();
  // Tests: waits until the cache forgot everything after `generationBefore` (true), or timeout.
  bool waitUntilForgotten(std::uint64_t generationBefore, std::chrono::milliseconds timeout);

 private:
  void listen();
  void forgetAllLocked();

  const std::string m_uri;
  std::mutex m_mutex;
  std::condition_variable m_changed;
  struct Entry {
    KioskIdentity kiosk;
    std::chrono::steady_clock::time_point until;
  };
  std::unordered_map<std::string, Entry> m_entries;
  std::uint64_t m_generation = 0;
  bool m_trusted = false;  // listening right now
  bool m_firstTryDone = false;
  bool m_stopping = false;
  int m_wakeFd = -1;  // an eventfd the destructor writes to end the listener's wait at once
  std::thread m_thread;
};

}  // namespace smp::server
