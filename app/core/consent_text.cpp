// Consent text loading. The first line is "version: X"; the rest is shown to the client.
#include "app/core/consent_text.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "sync/protocol/sha256.h"

namespace smp::core {

std::string reflowParagraphs(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') {
      const bool paragraphEnd =
          (i + 1 < text.size() && text[i + 1] == '\n') || (i > 0 && text[i - 1] == '\n');
      out += paragraphEnd ? '\n' : ' ';
    } else {
      out += text[i];
    }
  }
  return out;
}

ConsentText loadConsentText(const std::filesystem::path& assetsDir, const std::string& language) {
  const auto path = assetsDir / "consent" / (language + ".txt");
  std::ifstream in(path);
  if (!in) throw std::runtime_error("consent text " + path.string() + " is missing");
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string all = ss.str();
  const auto eol = all.find('\n');
  if (all.rfind("version: ", 0) != 0 || eol == std::string::npos || eol + 1 >= all.size()) {
    throw std::runtime_error("consent text " + path.string() +
                             " must start with a 'version: X' line followed by the text");
  }
  ConsentText c;
  c.version = all.substr(9, eol - 9);
  c.text = all.substr(eol + 1);
  c.sha256 = protocol::sha256Hex(all);
  return c;
}

}  // namespace smp::core
