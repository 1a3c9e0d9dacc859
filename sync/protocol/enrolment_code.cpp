#include "sync/protocol/enrolment_code.h"

#include <sodium.h>

#include <cctype>
#include <stdexcept>

namespace smp::protocol {

namespace {

constexpr std::string_view kLinkPrefix = "smpkiosk:enrol?";

std::string percentEncode(std::string_view text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

std::optional<std::string> percentDecode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const auto digit = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      return -1;
    };
    const int hi = digit(text[i + 1]), lo = digit(text[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

}  // namespace

std::string newEnrolmentCode() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  std::string canonical;
  for (std::size_t i = 0; i < kEnrolmentCodeLength; ++i) {
    canonical.push_back(kEnrolmentCodeAlphabet[randombytes_uniform(
        static_cast<std::uint32_t>(kEnrolmentCodeAlphabet.size()))]);
  }
  return displayEnrolmentCode(canonical);
}

std::optional<std::string> normaliseEnrolmentCode(std::string_view typed) {
  if (typed.size() > 64) return std::nullopt;
  std::string canonical;
  for (const char c : typed) {
    if (c == '-' || c == ' ') continue;
    const char upper = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    if (kEnrolmentCodeAlphabet.find(upper) == std::string_view::npos) return std::nullopt;
    canonical.push_back(upper);
  }
  if (canonical.size() != kEnrolmentCodeLength) return std::nullopt;
  return canonical;
}

std::string displayEnrolmentCode(std::string_view canonical) {
  std::string shown;
  for (std::size_t i = 0; i < canonical.size(); ++i) {
    if (i > 0 && i % 4 == 0) shown.push_back('-');
    shown.push_back(canonical[i]);
  }
  return shown;
}

std::string enrolmentLink(std::string_view serverUrl, std::string_view code) {
  return std::string(kLinkPrefix) + "server=" + percentEncode(serverUrl) +
         "&code=" + std::string(code);
}

std::optional<EnrolmentLink> parseEnrolmentLink(std::string_view text) {
  if (text.size() > 2048 || text.substr(0, kLinkPrefix.size()) != kLinkPrefix) return std::nullopt;
  std::string_view rest = text.substr(kLinkPrefix.size());
  std::optional<std::string> server, code;
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    const std::string_view key = pair.substr(0, eq);
    const auto value = percentDecode(pair.substr(eq + 1));
    if (!value) return std::nullopt;
    if (key == "server" && !server) {
      server = *value;
    } else if (key == "code" && !code) {
      code = normaliseEnrolmentCode(*value);
      if (!code) return std::nullopt;
    } else {
      return std::nullopt;
    }
  }
  if (!server || server->empty() || !code) return std::nullopt;
  return EnrolmentLink{*server, *code};
}

}  // namespace smp::protocol
