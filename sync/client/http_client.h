// A small libcurl wrapper: one easy handle per client, every CURLcode through check().
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>

namespace smp::sync {

// The request never reached an HTTP answer: DNS, connect, TLS, timeout or a cut connection.
class NetworkError : public std::runtime_error {
 public:
  NetworkError(int curlCode, const std::string& message)
      : std::runtime_error(message), m_curlCode(curlCode) {}
  int curlCode() const { return m_curlCode; }
  // TLS refused the server: its certificate does not verify, or the pinned key does not match.
  bool certificateProblem() const;

 private:
  int m_curlCode;
};

struct HttpResponse {
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
};

struct HttpOptions {
  std::chrono::milliseconds connectTimeout{5000};
  std::chrono::milliseconds totalTimeout{60000};
  std::string caFile;           // extra CA bundle for a private head-office CA
  std::string pinnedPublicKey;  // "sha256//BASE64" pin, see CURLOPT_PINNEDPUBLICKEY
  // Answers longer than this end the request with a NetworkError: nothing a server (or anything
  // in the middle) sends can grow the kiosk's memory without limit.
  std::size_t maxResponseBytes = 2u << 20;
};

class HttpClient {
 public:
  explicit HttpClient(HttpOptions options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Throws NetworkError when no HTTP answer arrived. Any HTTP status is returned, not thrown.
  HttpResponse request(const std::string& method, const std::string& url,
                       const std::string& bearerToken, const std::string& body = {},
                       const std::string& contentType = "application/json",
                       const std::string& extraHeader = {});

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace smp::sync
