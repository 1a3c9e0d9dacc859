// The head-office HTTP API (protocol v1) over cpp-httplib: authenticated kiosks push blobs and
// consultations; every answer is JSON, every refusal says why.
#pragma once

#include <httplib.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "sync/server/server_storage.h"

namespace smp::server {

struct ServerOptions {
  std::function<void(const std::string&)> log;  // one line per request; empty: silent
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

 private:
  void installRoutes();
  std::optional<KioskIdentity> authenticate(const httplib::Request& req, httplib::Response& res);
  // For /v1/blobs/{sha256}: the authenticated request's hash, or empty once res holds the refusal.
  std::optional<std::string> authenticatedBlobHash(const httplib::Request& req,
                                                   httplib::Response& res);

  ServerStorage& m_storage;
  ServerOptions m_options;
  httplib::Server m_http;
  std::atomic<bool> m_inRun{false};
  std::atomic<bool> m_stopRequested{false};
};

}  // namespace smp::server
