#include "sync/server/kiosk_token_cache.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <pqxx/pqxx>
#include <stdexcept>

namespace smp::server {
namespace {

class Forget : public pqxx::notification_receiver {
 public:
  Forget(pqxx::connection_base& c, KioskTokenCache& cache)
      : pqxx::notification_receiver(c, KioskTokenCache::kChannel), m_cache(cache) {}
  void operator()(const std::string&, int) override { m_cache.forgetAll(); }

 private:
  KioskTokenCache& m_cache;
};

}  // namespace

KioskTokenCache::KioskTokenCache(std::string uri) : m_uri(std::move(uri)) {
  m_wakeFd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (m_wakeFd < 0) throw std::runtime_error("eventfd failed");
  m_thread = std::thread([this] { listen(); });
  // The first connection is made before the first request (bounded: the cache is only an
  // optimisation, and without it every lookup reads the database).
  std::unique_lock lock(m_mutex);
  m_changed.wait_for(lock, std::chrono::seconds(5), [&] { return m_trusted || m_firstTryDone; });
}

KioskTokenCache::~KioskTokenCache() {
  {
    std::lock_guard lock(m_mutex);
    m_stopping = true;
  }
  const std::uint64_t one = 1;
  (void)!write(m_wakeFd, &one, sizeof one);
  m_changed.notify_all();
  m_thread.join();
  close(m_wakeFd);
}

void KioskTokenCache::listen() {
  while (true) {
    try {
      pqxx::connection c(m_uri);
      Forget receiver(c, *this);  // LISTEN
      {
        // Whatever was remembered before this connection may have missed a notification.
        std::lock_guard lock(m_mutex);
        forgetAllLocked();
        m_trusted = true;
        m_firstTryDone = true;
      }
      while (true) {
        {
          std::lock_guard lock(m_mutex);
          if (m_stopping) return;
        }
        pollfd fds[2] = {{c.sock(), POLLIN, 0}, {m_wakeFd, POLLIN, 0}};
        if (poll(fds, 2, 1000) < 0 && errno != EINTR) throw std::runtime_error("poll failed");
        if (fds[1].revents) return;  // the destructor
        c.get_notifs();              // reads what arrived; throws when the connection broke
      }
    } catch (const std::exception&) {
      // The database went away: the cache is not used until listening works again.
    }
    std::unique_lock lock(m_mutex);
    m_trusted = false;
    m_firstTryDone = true;
    forgetAllLocked();
    // Try again in a second (or stop now).
    if (m_changed.wait_for(lock, std::chrono::seconds(1), [&] { return m_stopping; })) return;
  }
}

std::optional<KioskIdentity> KioskTokenCache::find(const std::string& tokenSha256) {
  std::lock_guard lock(m_mutex);
  if (!m_trusted) return std::nullopt;
  const auto it = m_entries.find(tokenSha256);
  if (it == m_entries.end() || it->second.until < std::chrono::steady_clock::now())
    return std::nullopt;
  return it->second.kiosk;
}

std::uint64_t KioskTokenCache::generation() {
  std::lock_guard lock(m_mutex);
  return m_generation;
}

void KioskTokenCache::remember(const std::string& tokenSha256, const KioskIdentity& kiosk,
                               std::uint64_t generationBefore) {
  std::lock_guard lock(m_mutex);
  if (!m_trusted || m_generation != generationBefore) return;
  // Bounded by the number of kiosks: only tokens that belong to one are remembered.
  m_entries[tokenSha256] = {kiosk, std::chrono::steady_clock::now() + kLifetime};
}

void KioskTokenCache::forgetAll() {
  std::lock_guard lock(m_mutex);
  forgetAllLocked();
}

void KioskTokenCache::forgetAllLocked() {
  m_entries.clear();
  ++m_generation;
  m_changed.notify_all();
}

bool KioskTokenCache::waitUntilForgotten(std::uint64_t generationBefore,
                                         std::chrono::milliseconds timeout) {
  std::unique_lock lock(m_mutex);
  return m_changed.wait_for(lock, timeout, [&] { return m_generation != generationBefore; });
}

}  // namespace smp::server
