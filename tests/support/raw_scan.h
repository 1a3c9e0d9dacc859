// What a thief who copies the kiosk's files finds: every occurrence of some bytes in the raw
// database file, its WAL and its shared-memory file, read past SQLite.
#pragma once

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>

namespace smp::test {

inline int rawOccurrences(const std::filesystem::path& db, std::string_view needle) {
  int found = 0;
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::ifstream in(db.string() + suffix, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (auto at = bytes.find(needle); at != std::string::npos; at = bytes.find(needle, at + 1))
      ++found;
  }
  return found;
}

}  // namespace smp::test
