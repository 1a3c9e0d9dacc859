// The head-office HTTP API (protocol v1) over cpp-httplib: authenticated kiosks push blobs and
// consultations; every answer is JSON, every refusal says why. Everything a client sends is
// hostile until checked: requests are refused on their headers (size, encoding, token, rate)
// before any body is read, and no exception leaves a handler.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "sync/server/guarded_http_server.h"
#include "sync/server/office_storage.h"
#include "sync/server/office_web.h"
#include "sync/server/rate_limiter.h"
#include "sync/server/server_storage.h"
#include "sync/service/service_manager.h"

namespace smp::server {

struct ServerOptions {
  // One line per request (info) and per internal error (error); control characters arrive
  // escaped. Lines carry ids, methods, paths and statuses, never a body, query or token. Empty:
  // silent.
  std::function<void(service::LogLevel, const std::string&)> log;
  ConnectionLimits connections;
  RateLimit kioskRate;  // per kiosk token
  // Enrolment attempts from everyone together (codes cannot be guessed; this bounds the work).
  RateLimit enrolmentRate{20, 100};
  UploadQuota uploadQuota;
  // Unfinished uploads untouched this long are deleted, with blobs no record ever named.
  std::chrono::seconds uploadExpiry{24 * 3600};
  // HTTPS when both are set: PEM certificate chain and private key.
  std::string tlsCertificateFile;
  std::string tlsPrivateKeyFile;
  // The head-office web application (/app/, /api/): served when `office` is set, with its pages
  // read from `webRoot`. `officeClock` (Unix seconds) is for tests of session and enrolment
  // code expiry.
  OfficeStorage* office = nullptr;
  std::filesystem::path webRoot;
  std::function<std::int64_t()> officeClock;
  // Where the web application builds photo ZIPs; empty: "<blob folder>-exports" beside the blobs.
  std::filesystem::path exportsFolder;
};

class HeadOfficeServer {
 public:
  HeadOfficeServer(ServerStorage& storage, ServerOptions options = {});
  ~HeadOfficeServer();

  // Binds to host:port (port 0 picks a free one) and returns the bound port; throws on failure.
  int bind(const std::string& host, int port);
  // Serves until stop() is called; in-flight requests finish first.
  void run();
  void stop();
  // Throws when the server could not serve a request now (its storage does not answer): what
  // the systemd watchdog is told about.
  void selfCheck();

  int openConnections() const { return m_http.openConnections(); }
  bool usesTls() const { return m_http.usesTls(); }
  // Raw request bytes through the whole server in memory (see GuardedHttpServer): fuzzing.
  std::string serveInMemory(std::string_view requestBytes) {
    return m_http.serveInMemory(requestBytes);
  }
  // Deletes expired uploads now (run() also does this hourly); returns chunks and blobs deleted.
  int expireUploadsNow();

 private:
  void installRoutes();
  // Where photo ZIPs are built: the option, else beside the storage's blob folder.
  std::filesystem::path exportsFolder() const;
  void installGuards();
  // The kiosk the pre-routing guard authenticated for this request, or a 401 in res.
  std::optional<KioskIdentity> authenticate(const httplib::Request& req, httplib::Response& res);
  // For /v1/blobs/{sha256}: the authenticated request's hash, or empty once res holds the refusal.
  std::optional<std::string> authenticatedBlobHash(const httplib::Request& req,
                                                   httplib::Response& res);
  std::int64_t nowUnixSeconds() const;
  void log(service::LogLevel level, const std::string& line) const;
  void maintenanceLoop();

  ServerStorage& m_storage;
  ServerOptions m_options;
  GuardedHttpServer m_http;
  RateLimiter m_rateLimiter;
  RateLimiter m_enrolmentLimiter;  // one bucket for every enrolment attempt
  std::atomic<bool> m_inRun{false};
  std::atomic<bool> m_stopRequested{false};
  std::mutex m_maintenanceMutex;
  std::condition_variable m_maintenanceWake;
  std::thread m_maintenance;
  std::unique_ptr<OfficeWeb> m_web;
};

// `text` with control characters, backslashes and non-ASCII bytes written as \xNN, so a value
// from a request can never start a forged log line.
std::string escapeForLog(std::string_view text);

}  // namespace smp::server
