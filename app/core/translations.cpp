// Translation tables.
#include "app/core/translations.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace smp::core {

Translations Translations::load(const std::filesystem::path& assetsDir) {
  Translations t;
  for (const std::string& lang : kLanguages) {
    const auto path = assetsDir / "i18n" / (lang + ".json");
    std::ifstream in(path);
    if (!in) throw std::runtime_error("translation file " + path.string() + " is missing");
    const auto j = nlohmann::json::parse(in, nullptr, false);
    if (!j.is_object())
      throw std::runtime_error("translation file " + path.string() + " is not a JSON object");
    for (const auto& [key, value] : j.items()) {
      if (!value.is_string()) {
        throw std::runtime_error(path.string() + ": key '" + key + "' must hold a string");
      }
      t.m_tables[lang][key] = value.get<std::string>();
    }
  }
  return t;
}

const std::string& Translations::operator()(const std::string& key) const {
  auto table = m_tables.find(m_language);
  if (table != m_tables.end()) {
    auto it = table->second.find(key);
    if (it != table->second.end()) return it->second;
  }
  auto en = m_tables.find("en");
  if (en != m_tables.end()) {
    auto it = en->second.find(key);
    if (it != en->second.end()) return it->second;
  }
  return key;
}

std::string Translations::format(const std::string& key,
                                 const std::vector<std::string>& values) const {
  std::string out = (*this)(key);
  for (const std::string& v : values) {
    const auto pos = out.find("{n}");
    if (pos == std::string::npos) break;
    out.replace(pos, 3, v);
  }
  return out;
}

void Translations::setLanguage(const std::string& language) {
  if (m_tables.count(language)) m_language = language;
}

const std::map<std::string, std::string>& Translations::table(const std::string& language) const {
  static const std::map<std::string, std::string> kEmpty;
  auto it = m_tables.find(language);
  return it == m_tables.end() ? kEmpty : it->second;
}

}  // namespace smp::core
