// The connection loop httplib runs per accepted socket, rewritten around a stream that enforces
// a deadline and a byte budget per request. httplib still parses and routes every request
// (process_request); only the socket's life is ours.
#include "sync/server/guarded_http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace smp::server {
namespace {

using Clock = std::chrono::steady_clock;

int millisUntil(Clock::time_point t) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(t - Clock::now());
  return static_cast<int>(std::max<std::int64_t>(0, left.count()));
}

bool waitFor(int sock, short events, int timeoutMs) {
  pollfd p{sock, events, 0};
  for (;;) {
    const int n = ::poll(&p, 1, timeoutMs);
    if (n < 0 && errno == EINTR) continue;
    return n > 0;
  }
}

// One end of a connected socket, the peer's or our own: false when the socket has none.
bool endpointOf(int sock, bool peer, std::string& ip, int& port) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  auto* raw = reinterpret_cast<sockaddr*>(&addr);
  if ((peer ? ::getpeername(sock, raw, &len) : ::getsockname(sock, raw, &len)) != 0) return false;
  char text[INET6_ADDRSTRLEN] = {};
  if (addr.ss_family == AF_INET) {
    const auto* a = reinterpret_cast<const sockaddr_in*>(&addr);
    ::inet_ntop(AF_INET, &a->sin_addr, text, sizeof text);
    port = ntohs(a->sin_port);
  } else if (addr.ss_family == AF_INET6) {
    const auto* a = reinterpret_cast<const sockaddr_in6*>(&addr);
    ::inet_ntop(AF_INET6, &a->sin6_addr, text, sizeof text);
    port = ntohs(a->sin6_port);
  }
  ip = text;
  return true;
}

// The peer's IP address, the key of the per-address cap ("unknown" if it has none).
std::string peerAddress(int sock) {
  std::string ip;
  int port = 0;
  return endpointOf(sock, true, ip, port) && !ip.empty() ? ip : "unknown";
}

// Closing a socket with unread input makes the kernel send a reset, and the client may then
// lose the answer we just wrote. So: stop writing, read what is still arriving for a moment
// (bounded in bytes and time), then close.
void closeGently(int sock) {
  ::shutdown(sock, SHUT_WR);
  const auto until = Clock::now() + std::chrono::milliseconds(500);
  char sink[16384];
  std::size_t drained = 0;
  while (drained < (4u << 20) && waitFor(sock, POLLIN, millisUntil(until))) {
    const ssize_t n = ::recv(sock, sink, sizeof sink, 0);
    if (n <= 0) break;
    drained += static_cast<std::size_t>(n);
  }
  ::close(sock);
}

// One connection's socket as httplib reads it: buffered (httplib reads headers a byte at a
// time), and failing once the request's deadline or byte budget is spent.
class ConnectionStream final : public httplib::Stream {
 public:
  // `ssl` is the connection's TLS session, or null for plain HTTP.
  ConnectionStream(int sock, SSL* ssl, const ConnectionLimits& limits)
      : m_sock(sock), m_ssl(ssl), m_limits(limits) {}

  void beginRequest() {
    m_deadline = Clock::now() + m_limits.requestDeadline;
    m_budget = m_used + m_limits.maxHeadBytes;
    m_closeAfterResponse = false;
  }
  void allowBody(std::size_t bytes) { m_budget = m_used + bytes; }
  void closeAfterResponse() { m_closeAfterResponse = true; }
  // httplib answers a request it could not read with 400 and would read on; after a deadline,
  // a budget or a stall the connection is out of step and must end.
  bool mustClose() const { return m_closeAfterResponse || m_cutShort; }

  // Waits for the first byte of the next request; false on idle timeout, close or stop.
  template <typename Stopping>
  bool waitForNextRequest(const Stopping& stopping) {
    if (hasBuffered()) return m_begin < m_end || fill() > 0;
    const auto until = Clock::now() + m_limits.idleTimeout;
    while (!stopping()) {
      const int slice = std::min(100, millisUntil(until));
      if (waitFor(m_sock, POLLIN, slice)) return fill() > 0;
      if (slice == 0) return false;
    }
    return false;
  }

  bool is_readable() const override {
    return hasBuffered() ||
           waitFor(m_sock, POLLIN,
                   std::min(millisUntil(m_deadline), static_cast<int>(m_limits.ioTimeout.count())));
  }
  bool is_writable() const override {
    return waitFor(m_sock, POLLOUT, static_cast<int>(m_limits.ioTimeout.count()));
  }

  ssize_t read(char* ptr, size_t size) override {
    if (m_used >= m_budget) return cutShort();  // over the head or body budget
    if (m_begin == m_end) {
      const int wait =
          std::min(millisUntil(m_deadline), static_cast<int>(m_limits.ioTimeout.count()));
      if (wait <= 0) return cutShort();  // the request's deadline
      if (!hasBuffered() && !waitFor(m_sock, POLLIN, wait)) return cutShort();  // a stall
      const ssize_t n = fill();
      if (n <= 0) return n;
    }
    const std::size_t n =
        std::min({size, static_cast<std::size_t>(m_end - m_begin), m_budget - m_used});
    std::memcpy(ptr, m_buffer + m_begin, n);
    m_begin += n;
    m_used += n;
    return static_cast<ssize_t>(n);
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (!is_writable()) return -1;
    if (m_ssl) {
      const int n = SSL_write(m_ssl, ptr, static_cast<int>(std::min<size_t>(size, 1u << 30)));
      return n > 0 ? n : -1;
    }
    for (;;) {
      const ssize_t n = ::send(m_sock, ptr, size, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      return n;
    }
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    if (!endpointOf(m_sock, true, ip, port) || ip.empty()) ip = "unknown";
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    endpointOf(m_sock, false, ip, port);
  }
  socket_t socket() const override { return m_sock; }

 private:
  // Bytes already read from the socket: in our buffer, or decrypted and waiting inside OpenSSL
  // (poll cannot see those).
  bool hasBuffered() const { return m_begin < m_end || (m_ssl && SSL_pending(m_ssl) > 0); }
  ssize_t cutShort() {
    m_cutShort = true;
    return -1;
  }
  ssize_t fill() {
    if (m_begin == m_end) m_begin = m_end = 0;
    if (m_ssl) {
      const int n = SSL_read(m_ssl, m_buffer + m_end, static_cast<int>(sizeof m_buffer - m_end));
      if (n > 0) m_end += static_cast<std::size_t>(n);
      return n > 0 ? n : (SSL_get_error(m_ssl, n) == SSL_ERROR_ZERO_RETURN ? 0 : -1);
    }
    for (;;) {
      const ssize_t n = ::recv(m_sock, m_buffer + m_end, sizeof m_buffer - m_end, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n > 0) m_end += static_cast<std::size_t>(n);
      return n;
    }
  }

  int m_sock;
  SSL* m_ssl;
  const ConnectionLimits& m_limits;
  Clock::time_point m_deadline{};
  std::size_t m_budget = 0;  // bytes this request may deliver to httplib
  std::size_t m_used = 0;    // bytes delivered since the connection opened
  bool m_closeAfterResponse = false;
  bool m_cutShort = false;
  char m_buffer[16384];
  std::size_t m_begin = 0, m_end = 0;
};

thread_local ConnectionStream* t_connection = nullptr;

// Request bytes from memory, the answer into memory.
class MemoryStream final : public httplib::Stream {
 public:
  explicit MemoryStream(std::string_view input) : m_input(input) {}
  bool is_readable() const override { return m_at < m_input.size(); }
  bool is_writable() const override { return true; }
  ssize_t read(char* ptr, size_t size) override {
    const std::size_t n = std::min(size, m_input.size() - m_at);
    std::memcpy(ptr, m_input.data() + m_at, n);
    m_at += n;
    return static_cast<ssize_t>(n);
  }
  ssize_t write(const char* ptr, size_t size) override {
    m_output.append(ptr, size);
    return static_cast<ssize_t>(size);
  }
  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip = "127.0.0.1";
    port = 0;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    ip = "127.0.0.1";
    port = 0;
  }
  socket_t socket() const override { return INVALID_SOCKET; }
  bool exhausted() const { return m_at >= m_input.size(); }
  std::string& output() { return m_output; }

 private:
  std::string_view m_input;
  std::size_t m_at = 0;
  std::string m_output;
};

// The whole 503 answer for a connection over the caps.
std::string overCapAnswer() {
  const std::string body =
      R"({"error":"the server has too many open connections: try again shortly"})";
  return "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
         "Retry-After: 5\r\nConnection: close\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

std::string openSslReason() {
  const unsigned long code = ERR_get_error();
  if (code == 0) return "unknown reason";
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  ERR_clear_error();
  return text;
}

// The TLS handshake, bounded: a client that never finishes it gives up its worker when a read
// or write makes no progress for the I/O timeout.
SSL* acceptTls(SSL_CTX* ctx, int sock, const ConnectionLimits& limits) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(limits.ioTimeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((limits.ioTimeout.count() % 1000) * 1000);
  ::setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(sock, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  SSL* ssl = SSL_new(ctx);
  if (!ssl) return nullptr;
  if (SSL_set_fd(ssl, sock) != 1 || SSL_accept(ssl) != 1) {
    ERR_clear_error();
    SSL_free(ssl);
    return nullptr;
  }
  return ssl;
}

}  // namespace

void GuardedHttpServer::TlsContextDeleter::operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }

GuardedHttpServer::~GuardedHttpServer() { closeListener(); }

void GuardedHttpServer::closeListener() {
  const socket_t sock = svr_sock_.exchange(INVALID_SOCKET);
  if (sock != INVALID_SOCKET) ::close(sock);
}

void GuardedHttpServer::useTls(const std::string& certificateChainFile,
                               const std::string& privateKeyFile) {
  std::unique_ptr<SSL_CTX, TlsContextDeleter> ctx(SSL_CTX_new(TLS_server_method()));
  if (!ctx) throw std::runtime_error("cannot set up TLS: " + openSslReason());
  SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);
  SSL_CTX_set_options(ctx.get(), SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
  if (SSL_CTX_use_certificate_chain_file(ctx.get(), certificateChainFile.c_str()) != 1) {
    throw std::runtime_error("cannot use the TLS certificate " + certificateChainFile + ": " +
                             openSslReason());
  }
  if (SSL_CTX_use_PrivateKey_file(ctx.get(), privateKeyFile.c_str(), SSL_FILETYPE_PEM) != 1) {
    throw std::runtime_error("cannot use the TLS private key " + privateKeyFile + ": " +
                             openSslReason());
  }
  if (SSL_CTX_check_private_key(ctx.get()) != 1) {
    throw std::runtime_error("the TLS private key " + privateKeyFile +
                             " does not belong to the certificate " + certificateChainFile);
  }
  m_tls = std::move(ctx);
}

GuardedHttpServer::GuardedHttpServer(ConnectionLimits limits) : m_limits(limits) {
  // One worker per admitted connection plus a few spares that only turn away the excess, so a
  // refusal never waits behind slow clients.
  const auto workers = static_cast<std::size_t>(std::max(1, m_limits.maxConnections) + 8);
  new_task_queue = [workers] { return new httplib::ThreadPool(workers); };
  // Our loop enforces the idle timeout; httplib still advertises it in each answer's
  // Keep-Alive header, so tell it the same value.
  set_keep_alive_timeout(std::max<time_t>(1, m_limits.idleTimeout.count() / 1000));
}

void GuardedHttpServer::allowBodyOfCurrentRequest(std::size_t bytes) {
  if (t_connection) t_connection->allowBody(bytes);
}

void GuardedHttpServer::closeCurrentConnectionAfterResponse() {
  if (t_connection) t_connection->closeAfterResponse();
}

int GuardedHttpServer::openConnections() const {
  std::lock_guard lock(m_mutex);
  return m_open;
}

std::string GuardedHttpServer::serveInMemory(std::string_view requestBytes) {
  MemoryStream stream(requestBytes);
  for (int served = 0; served < 16 && !stream.exhausted(); ++served) {
    bool closedByClient = false;
    if (!process_request(stream, served == 15, closedByClient, nullptr) || closedByClient) break;
  }
  return std::move(stream.output());
}

void GuardedHttpServer::widenListenBacklog(int backlog) {
  const socket_t sock = svr_sock_;
  if (sock != INVALID_SOCKET) ::listen(sock, backlog);  // Linux: listen() again resizes it
}

bool GuardedHttpServer::admit(const std::string& address) {
  std::lock_guard lock(m_mutex);
  if (m_open >= m_limits.maxConnections) return false;
  int& fromHere = m_openByAddress[address];
  if (fromHere >= m_limits.maxConnectionsPerAddress) {
    if (fromHere == 0) m_openByAddress.erase(address);
    return false;
  }
  ++fromHere;
  ++m_open;
  return true;
}

void GuardedHttpServer::release(const std::string& address) {
  std::lock_guard lock(m_mutex);
  --m_open;
  auto it = m_openByAddress.find(address);
  if (it != m_openByAddress.end() && --it->second <= 0) m_openByAddress.erase(it);
}

bool GuardedHttpServer::process_and_close_socket(socket_t sock) {
  const std::string address = peerAddress(sock);
  if (!admit(address)) {
    // Said in the connection's own protocol, so an HTTPS client reads the 503 too.
    const std::string answer = overCapAnswer();
    if (m_tls) {
      if (SSL* ssl = acceptTls(m_tls.get(), sock, m_limits)) {
        SSL_write(ssl, answer.data(), static_cast<int>(answer.size()));
        SSL_shutdown(ssl);
        SSL_free(ssl);
      }
    } else if (waitFor(sock, POLLOUT, 1000)) {
      [[maybe_unused]] const ssize_t sent =
          ::send(sock, answer.data(), answer.size(), MSG_NOSIGNAL);
    }
    closeGently(sock);
    return false;
  }
  SSL* ssl = nullptr;
  if (m_tls) {
    ssl = acceptTls(m_tls.get(), sock, m_limits);
    if (!ssl) {  // not TLS, a client that rejected our certificate, or too slow
      closeGently(sock);
      release(address);
      return false;
    }
  }
  ConnectionStream stream(sock, ssl, m_limits);
  t_connection = &stream;
  bool ok = true;
  const auto stopping = [this] { return svr_sock_ == INVALID_SOCKET; };
  for (int served = 0; served < m_limits.maxRequestsPerConnection; ++served) {
    if (!stream.waitForNextRequest(stopping)) break;
    stream.beginRequest();
    const bool last = served + 1 == m_limits.maxRequestsPerConnection || stopping();
    bool closedByClient = false;
    try {
      ok = process_request(stream, last, closedByClient, nullptr);
    } catch (...) {
      // httplib calls the error handler and the logger outside its own try; ours do not throw,
      // but a worker thread must never end the process whatever happens.
      ok = false;
    }
    if (!ok || closedByClient || last || stream.mustClose()) break;
  }
  t_connection = nullptr;
  if (ssl) {
    SSL_shutdown(ssl);  // our close_notify; we do not wait for the client's
    SSL_free(ssl);
  }
  closeGently(sock);
  release(address);
  return ok;
}

}  // namespace smp::server
