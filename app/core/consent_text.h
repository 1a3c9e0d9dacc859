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

// Joins lines within a paragraph so the text wraps to the screen, keeping blank-line breaks.
// (The stored hash is always of the exact file.)
std::string reflowParagraphs(const std::string& text);

// Loads assets/consent/<language>.txt; throws with the path when missing or empty.
ConsentText loadConsentText(const std::filesystem::path& assetsDir, const std::string& language);

}  // namespace smp::core
