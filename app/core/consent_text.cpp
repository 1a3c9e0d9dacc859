// Consent text loading. The first line is "version: X"; the rest is shown to the client.
#include "app/core/consent_text.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "sync/protocol/messages.h"

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
  const auto file = protocol::parseConsentFile(ss.str());
  if (!file) {
    throw std::runtime_error("consent text " + path.string() +
                             " must start with a 'version: X' line followed by the text");
  }
  return ConsentText{file->version, file->text,
                     protocol::consentTextSha256(file->version, file->text)};
}

}  // namespace smp::core
