// SHA-256 as lowercase hex (libsodium): content addresses for photos, previews and records.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace smp::protocol {

std::string sha256Hex(const std::uint8_t* data, std::size_t size);
std::string sha256Hex(std::string_view text);
std::string sha256Hex(const std::vector<std::uint8_t>& bytes);

// Incremental hashing for data that arrives in pieces (uploads, files).
class Sha256 {
 public:
  Sha256();
  void update(const std::uint8_t* data, std::size_t size);
  std::string finishHex();

 private:
  alignas(64) unsigned char m_state[256];
};

bool isSha256Hex(std::string_view text);

}  // namespace smp::protocol
