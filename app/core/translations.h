// User-facing text in every shipped language, loaded from assets/i18n/<lang>.json.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace smp::core {

inline const std::vector<std::string> kLanguages = {"en", "es", "fr"};

class Translations {
 public:
  // Loads every shipped language; throws with the file and key when one is missing or malformed.
  static Translations load(const std::filesystem::path& assetsDir);

  // The text for key in the current language; a missing key shows the key itself (and tests
  // make sure that never ships).
  const std::string& operator()(const std::string& key) const;
  // "{n}" placeholders replaced in order.
  std::string format(const std::string& key, const std::vector<std::string>& values) const;
  void setLanguage(const std::string& language);
  const std::string& language() const { return m_language; }
  const std::map<std::string, std::string>& table(const std::string& language) const;

 private:
  std::map<std::string, std::map<std::string, std::string>> m_tables;
  std::string m_language = "en";
};

}  // namespace smp::core
