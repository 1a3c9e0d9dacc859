// The consent text the client reads and agrees to; its sha256 is stored with the record.
#pragma once

#include <filesystem>
#include <string>

namespace smp::core {

struct ConsentText {
  std::string version;
  std::string text;
  std::string sha256;
};

// Loads assets/consent/<language>.txt; throws with the path when missing or empty.
ConsentText loadConsentText(const std::filesystem::path& assetsDir, const std::string& language);

}  // namespace smp::core
