// cpp-httplib's Server with our own connection loop: caps on connections (in total and per
// address), a deadline and a byte budget per request, an unhurried close, and TLS (OpenSSL) when
// a certificate is given, so that slow or greedy clients cannot take every worker or grow memory.
#pragma once

#include <httplib.h>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

using SSL_CTX = struct ssl_ctx_st;

namespace smp::server {

struct ConnectionLimits {
  int maxConnections = 256;                           // open at once, from everyone
  int maxConnectionsPerAddress = 128;                 // open at once, from one IP address
  std::chrono::milliseconds requestDeadline{20'000};  // request line + headers + body
  std::chrono::milliseconds idleTimeout{5'000};       // between requests on a kept-alive connection
  std::chrono::milliseconds ioTimeout{10'000};        // one read or write making no progress
  std::size_t maxHeadBytes = 64u << 10;               // request line and headers
  int maxRequestsPerConnection = 1000;
};

class GuardedHttpServer : public httplib::Server {
 public:
  explicit GuardedHttpServer(ConnectionLimits limits = {});
  ~GuardedHttpServer() override;

  // Serve HTTPS (TLS 1.2 or newer) with this PEM certificate chain and private key. Throws
  // std::runtime_error naming the file and OpenSSL's reason when they cannot be used.
  void useTls(const std::string& certificateChainFile, const std::string& privateKeyFile);
  bool usesTls() const { return m_tls != nullptr; }

  // For the pre-routing handler, about the connection of the request it is looking at (it runs
  // on that connection's thread). The request's body may be up to `bytes` long.
  static void allowBodyOfCurrentRequest(std::size_t bytes);
  // The request's body will not be read (it was refused on its headers): close the connection
  // after this response instead of reading the body as if it were the next request.
  static void closeCurrentConnectionAfterResponse();

  int openConnections() const;
  // Serves one connection's raw bytes in memory, through the same parsing, guard and handlers
  // as a socket, and returns what would have been written back: for fuzzing and tests.
  std::string serveInMemory(std::string_view requestBytes);
  // httplib listens with a backlog of 5, so a burst of connections (kiosks coming back online
  // together) overflows it and each extra client waits a second for its SYN to be resent.
  // Call after binding.
  void widenListenBacklog(int backlog = 1024);
  // Closes a bound listener that never served (stopped before it ran): httplib's stop() only
  // closes a running one, and a leaked listener accepts connections nobody answers.
  void closeListener();

 private:
  bool process_and_close_socket(socket_t sock) override;
  bool admit(const std::string& address);
  void release(const std::string& address);

  struct TlsContextDeleter {
    void operator()(SSL_CTX* ctx) const;
  };
  ConnectionLimits m_limits;
  std::unique_ptr<SSL_CTX, TlsContextDeleter> m_tls;
  mutable std::mutex m_mutex;
  int m_open = 0;
  std::map<std::string, int> m_openByAddress;
};

}  // namespace smp::server
