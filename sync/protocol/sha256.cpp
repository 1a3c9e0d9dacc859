// libsodium's crypto_hash_sha256, wrapped so callers never touch its state struct.
#include "sync/protocol/sha256.h"

#include <sodium.h>

#include <stdexcept>

namespace smp::protocol {
namespace {

std::string toHex(const unsigned char* digest) {
  static const char* kHex = "0123456789abcdef";
  std::string out(crypto_hash_sha256_BYTES * 2, '0');
  for (std::size_t i = 0; i < crypto_hash_sha256_BYTES; ++i) {
    out[2 * i] = kHex[digest[i] >> 4];
    out[2 * i + 1] = kHex[digest[i] & 15];
  }
  return out;
}

crypto_hash_sha256_state* asState(unsigned char* buffer) {
  static_assert(sizeof(crypto_hash_sha256_state) <= 256, "state buffer too small");
  return reinterpret_cast<crypto_hash_sha256_state*>(buffer);
}

}  // namespace

Sha256::Sha256() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  crypto_hash_sha256_init(asState(m_state));
}

void Sha256::update(const std::uint8_t* data, std::size_t size) {
  crypto_hash_sha256_update(asState(m_state), data, size);
}

std::string Sha256::finishHex() {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(asState(m_state), digest);
  return toHex(digest);
}

std::string sha256Hex(const std::uint8_t* data, std::size_t size) {
  Sha256 h;
  h.update(data, size);
  return h.finishHex();
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
