// Fault proxy implementation: one exchange per connection (it answers "Connection: close").
#include "tests/support/fault_proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <stdexcept>

namespace smp::test {
namespace {

void setTimeouts(int fd) {
  timeval tv{5, 0};  // every blocking read or write gives up after 5 s
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

bool sendAll(int fd, const std::string& data) {
  std::size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

// Reads one HTTP message (headers, then Content-Length bytes of body). Empty on failure.
std::optional<std::pair<std::string, std::string>> readMessage(int fd) {
  std::string data;
  char buf[65536];
  std::size_t headerEnd = std::string::npos;
  while ((headerEnd = data.find("\r\n\r\n")) == std::string::npos) {
    if (data.size() > (1u << 20)) return std::nullopt;
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return std::nullopt;
    data.append(buf, static_cast<std::size_t>(n));
  }
  std::string headers = data.substr(0, headerEnd + 4);
  std::string body = data.substr(headerEnd + 4);
  std::size_t length = 0;
  std::string lower = headers;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const auto cl = lower.find("\r\ncontent-length:");
  if (cl != std::string::npos) length = std::stoul(headers.substr(cl + 17));
  while (body.size() < length) {
    const ssize_t n = ::recv(fd, buf, std::min(sizeof buf, length - body.size()), 0);
    if (n <= 0) return std::nullopt;
    body.append(buf, static_cast<std::size_t>(n));
  }
  return std::pair{headers, body};
}

int connectTo(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  setTimeouts(fd);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Sends the request upstream and returns the full response (headers with Connection: close).
std::optional<std::string> exchange(int port, const std::string& headers, const std::string& body) {
  const int up = connectTo(port);
  if (up < 0) return std::nullopt;
  std::optional<std::string> out;
  if (sendAll(up, headers + body)) {
    if (auto response = readMessage(up)) {
      std::string h = response->first;
      h.insert(h.size() - 2, "Connection: close\r\n");
      out = h + response->second;
    }
  }
  ::close(up);
  return out;
}

}  // namespace

FaultProxy::FaultProxy(int upstreamPort, std::uint64_t seed, int faultPercent)
    : m_upstreamPort(upstreamPort), m_faultPercent(faultPercent), m_rng(seed) {
  m_listen = ::socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(m_listen, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = 0;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(m_listen, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(m_listen, 16) != 0) {
    throw std::runtime_error("fault proxy cannot listen");
  }
  socklen_t len = sizeof addr;
  getsockname(m_listen, reinterpret_cast<sockaddr*>(&addr), &len);
  m_port = ntohs(addr.sin_port);
  m_thread = std::thread([this] { acceptLoop(); });
}

FaultProxy::~FaultProxy() {
  m_stop = true;
  m_thread.join();
  ::close(m_listen);
}

std::map<Fault, int> FaultProxy::counts() {
  std::lock_guard lock(m_mutex);
  return m_counts;
}

Fault FaultProxy::nextFault() {
  std::lock_guard lock(m_mutex);
  Fault f = Fault::kPass;
  if (static_cast<int>(m_rng() % 100) < m_faultPercent) f = static_cast<Fault>(1 + m_rng() % 6);
  ++m_counts[f];
  return f;
}

void FaultProxy::acceptLoop() {
  while (!m_stop) {
    pollfd p{m_listen, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;  // wake up regularly to notice m_stop
    const int client = ::accept(m_listen, nullptr, nullptr);
    if (client < 0) continue;
    setTimeouts(client);
    handle(client);  // one at a time: the kiosk's sync client is sequential
    ::close(client);
  }
}

void FaultProxy::handle(int client) {
  auto request = readMessage(client);
  if (!request) return;
  const auto& [headers, body] = *request;
  switch (nextFault()) {
    case Fault::kCutBeforeRequest:
      return;
    case Fault::kCutMidBody: {
      const int up = connectTo(m_upstreamPort);
      if (up >= 0) {
        sendAll(up, headers + body.substr(0, body.size() / 2));
        ::close(up);
      }
      return;
    }
    case Fault::kCutAfterCommit:
      exchange(m_upstreamPort, headers, body);  // the server commits; the client hears nothing
      return;
    case Fault::kReply503: {
      const std::string msg = R"j({"error":"overloaded (fault proxy)"})j";
      sendAll(
          client,
          "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: 0\r\n"
          "Connection: close\r\nContent-Length: " +
              std::to_string(msg.size()) + "\r\n\r\n" + msg);
      return;
    }
    case Fault::kDuplicate:
      exchange(m_upstreamPort, headers, body);
      break;
    case Fault::kDelay: {
      std::uniform_int_distribution<int> ms(1, 20);
      int wait;
      {
        std::lock_guard lock(m_mutex);
        wait = ms(m_rng);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(wait));  // the fault itself, not sync
      break;
    }
    case Fault::kPass:
      break;
  }
  if (auto response = exchange(m_upstreamPort, headers, body)) sendAll(client, *response);
}

}  // namespace smp::test
