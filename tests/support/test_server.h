// A real head-office server on 127.0.0.1 (free port) in a background thread, for tests.
#pragma once

#include <memory>
#include <string>
#include <thread>

#include "sync/server/head_office_server.h"
#include "tests/support/backends.h"
#include "tests/support/temp_dir.h"

namespace smp::test {

class TestServer {
 public:
  // The web application is served too, from this checkout's assets/head-office. The storage
  // is SQLite unless a suite runs on both backends (backends.h).
  explicit TestServer(server::ServerOptions options = {}, Backend backend = Backend::kSqlite)
      : m_storage(backend, m_dir.path()) {
    start(std::move(options));
  }
  // A second server on the same head office (its own storage object, connections and port),
  // as a second smp-server process on one PostgreSQL database and one blob folder would be.
  TestServer(const TestServer& first, server::ServerOptions options)
      : m_storage(BackendStorage::AlsoOpen{first.m_storage}) {
    start(std::move(options));
  }
  ~TestServer() {
    m_server->stop();
    m_thread.join();
  }
  std::string url() const {
    return (m_server->usesTls() ? "https://127.0.0.1:" : "http://127.0.0.1:") +
           std::to_string(m_port);
  }
  int port() const { return m_port; }
  const std::string& databaseAddress() const { return m_storage.address(); }
  explicit TestServer(Backend backend) : TestServer(server::ServerOptions{}, backend) {}
  server::HeadOfficeStorage& storage() { return *m_storage; }
  server::HeadOfficeServer& server() { return *m_server; }

 private:
  void start(server::ServerOptions options) {
    if (!options.office) options.office = m_storage.get();
    if (options.webRoot.empty())
      options.webRoot = std::filesystem::path(SMP_SOURCE_DIR) / "assets" / "head-office";
    m_server = std::make_unique<server::HeadOfficeServer>(*m_storage, std::move(options));
    m_port = m_server->bind("127.0.0.1", 0);
    m_thread = std::thread([this] { m_server->run(); });
  }

  TempDir m_dir;
  BackendStorage m_storage;
  std::unique_ptr<server::HeadOfficeServer> m_server;
  int m_port = 0;
  std::thread m_thread;
};

}  // namespace smp::test
