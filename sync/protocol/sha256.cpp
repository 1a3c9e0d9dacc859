// OpenSSL's EVP SHA-256, wrapped so callers never touch its context.
#include "sync/protocol/sha256.h"

#include <openssl/evp.h>

#include <stdexcept>

namespace smp::protocol {
namespace {

std::string toHex(const unsigned char* digest, unsigned size) {
  static const char* kHex = "0123456789abcdef";
  std::string out(size * 2, '0');
  for (unsigned i = 0; i < size; ++i) {
    out[2 * i] = kHex[digest[i] >> 4];
    out[2 * i + 1] = kHex[digest[i] & 15];
  }
  return out;
}

[[noreturn]] void fail(const char* what) {
  throw std::runtime_error(std::string("SHA-256: ") + what + " failed in OpenSSL");
}

}  // namespace

void Sha256::ContextDeleter::operator()(evp_md_ctx_st* ctx) const { EVP_MD_CTX_free(ctx); }

Sha256::Sha256() : m_context(EVP_MD_CTX_new()) {
  if (!m_context || EVP_DigestInit_ex(m_context.get(), EVP_sha256(), nullptr) != 1) fail("init");
}

Sha256::~Sha256() = default;

void Sha256::update(const std::uint8_t* data, std::size_t size) {
  if (EVP_DigestUpdate(m_context.get(), data, size) != 1) fail("update");
}

std::string Sha256::finishHex() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned size = 0;
  if (EVP_DigestFinal_ex(m_context.get(), digest, &size) != 1) fail("final");
  return toHex(digest, size);
}

std::string sha256Hex(const std::uint8_t* data, std::size_t size) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned length = 0;
  if (EVP_Digest(data, size, digest, &length, EVP_sha256(), nullptr) != 1) fail("digest");
  return toHex(digest, length);
}

std::string sha256Hex(std::string_view text) {
  return sha256Hex(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
}

std::string sha256Hex(const std::vector<std::uint8_t>& bytes) {
  return sha256Hex(bytes.data(), bytes.size());
}

bool isSha256Hex(std::string_view text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace smp::protocol
