// libcurl easy interface; TLS peer and host verification stay on (libcurl's default).
#include "sync/client/http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <mutex>

namespace smp::sync {

bool NetworkError::certificateProblem() const {
  switch (m_curlCode) {
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_ISSUER_ERROR:
      return true;
    default:
      return false;
  }
}
namespace {

void globalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct EasyDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* s) const { curl_slist_free_all(s); }
};

struct BodySink {
  std::string* body;
  std::size_t limit;
  bool overLimit = false;
};

std::size_t onBody(char* data, std::size_t size, std::size_t n, void* user) {
  auto* sink = static_cast<BodySink*>(user);
  if (sink->body->size() + size * n > sink->limit) {
    sink->overLimit = true;
    return 0;  // libcurl ends the transfer with CURLE_WRITE_ERROR
  }
  sink->body->append(data, size * n);
  return size * n;
}

std::size_t onHeader(char* data, std::size_t size, std::size_t n, void* user) {
  std::string line(data, size * n);
  const auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(" \t"));
    value.erase(value.find_last_not_of(" \t\r\n") + 1);
    (*static_cast<std::map<std::string, std::string>*>(user))[name] = value;
  }
  return size * n;
}

}  // namespace

struct HttpClient::Impl {
  HttpOptions options;
  std::unique_ptr<CURL, EasyDeleter> easy;
  char errorBuffer[CURL_ERROR_SIZE] = {};

  void check(CURLcode rc, const std::string& context) {
    if (rc == CURLE_OK) return;
    std::string detail = errorBuffer[0] ? errorBuffer : curl_easy_strerror(rc);
    throw NetworkError(static_cast<int>(rc), context + ": " + detail);
  }
};

HttpClient::HttpClient(HttpOptions options) : m_impl(std::make_unique<Impl>()) {
  globalInit();
  m_impl->options = std::move(options);
  m_impl->easy.reset(curl_easy_init());
  if (!m_impl->easy) throw NetworkError(CURLE_FAILED_INIT, "libcurl could not create a handle");
}

HttpClient::~HttpClient() = default;

HttpResponse HttpClient::request(const std::string& method, const std::string& url,
                                 const std::string& bearerToken, const std::string& body,
                                 const std::string& contentType, const std::string& extraHeader) {
  CURL* c = m_impl->easy.get();
  curl_easy_reset(c);
  m_impl->errorBuffer[0] = '\0';
  HttpResponse response;
  std::unique_ptr<curl_slist, SlistDeleter> headers;
  auto addHeader = [&](const std::string& h) {
    curl_slist* next = curl_slist_append(headers.get(), h.c_str());
    if (!next) throw NetworkError(CURLE_OUT_OF_MEMORY, "libcurl could not add a header");
    headers.release();
    headers.reset(next);
  };
  if (!bearerToken.empty()) addHeader("Authorization: Bearer " + bearerToken);
  addHeader("Accept: application/json");
  addHeader("Expect:");  // no 100-continue round trip on uploads
  const bool hasBody = method == "PUT" || method == "POST";
  if (hasBody) addHeader("Content-Type: " + contentType);
  if (!extraHeader.empty()) addHeader(extraHeader);

  auto& o = m_impl->options;
  auto set = [&](auto option, auto value, const char* name) {
    m_impl->check(curl_easy_setopt(c, option, value), std::string("setting ") + name);
  };
  set(CURLOPT_ERRORBUFFER, m_impl->errorBuffer, "error buffer");
  set(CURLOPT_URL, url.c_str(), "URL");
  set(CURLOPT_NOSIGNAL, 1L, "nosignal");
  set(CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(o.connectTimeout.count()), "connect timeout");
  set(CURLOPT_TIMEOUT_MS, static_cast<long>(o.totalTimeout.count()), "timeout");
  set(CURLOPT_HTTPHEADER, headers.get(), "headers");
  set(CURLOPT_WRITEFUNCTION, onBody, "write callback");
  BodySink sink{&response.body, o.maxResponseBytes};
  set(CURLOPT_WRITEDATA, &sink, "write data");
  set(CURLOPT_HEADERFUNCTION, onHeader, "header callback");
  set(CURLOPT_HEADERDATA, &response.headers, "header data");
  set(CURLOPT_PROTOCOLS_STR, "http,https", "protocols");
  if (!o.caFile.empty()) set(CURLOPT_CAINFO, o.caFile.c_str(), "CA file");
  if (!o.pinnedPublicKey.empty())
    set(CURLOPT_PINNEDPUBLICKEY, o.pinnedPublicKey.c_str(), "pinned key");
  if (method != "GET") {
    set(CURLOPT_CUSTOMREQUEST, method.c_str(), "method");
  }
  if (hasBody) {
    set(CURLOPT_POSTFIELDS, body.data(), "body");
    set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()), "body size");
  }
  const CURLcode rc = curl_easy_perform(c);
  if (sink.overLimit) {
    throw NetworkError(static_cast<int>(CURLE_WRITE_ERROR),
                       method + " " + url + ": the answer is over the limit of " +
                           std::to_string(o.maxResponseBytes) + " bytes");
  }
  m_impl->check(rc, method + " " + url);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response.status);
  return response;
}

}  // namespace smp::sync
