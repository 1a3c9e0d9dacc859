// Every user-facing string exists in every shipped language: a missing key fails here.
#include "app/core/translations.h"

#include <gtest/gtest.h>

#include <cctype>
#include <fstream>
#include <set>
#include <sstream>

#include "app/core/consultation_draft.h"
#include "engine/hairline.h"
#include "engine/preview.h"
#include "sync/protocol/consultation.h"

namespace smp::core {
namespace {

const std::filesystem::path kSource = SMP_SOURCE_DIR;

bool looksLikeKey(const std::string& literal) {
  // Keys are lowercase dotted names with one of our prefixes, e.g. "error.phone_invalid".
  static const char* kPrefixes[] = {"error.",    "hint.",     "nav.",     "photos.",   "preview.",
                                    "plan.",     "saved.",    "idle.",    "consent.",  "contact.",
                                    "health.",   "look.",     "colours.", "stage.",    "concern.",
                                    "attract.",  "keyboard.", "staff.",   "settings.", "density.",
                                    "hairline.", "hair."};
  // Audit-trail action names share the "staff." prefix but are never shown to anyone.
  static const std::set<std::string> kAuditActions = {"staff.add", "staff.remove", "staff.login",
                                                      "staff.locked", "staff.logout_idle"};
  if (kAuditActions.count(literal)) return false;
  bool prefixed = false;
  for (const char* p : kPrefixes) prefixed = prefixed || literal.rfind(p, 0) == 0;
  if (!prefixed || literal.back() == '.' || literal.back() == '_') return false;  // a prefix + n
  for (char c : literal) {
    if (!(std::islower(static_cast<unsigned char>(c)) ||
          std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-')) {
      return false;
    }
  }
  return true;
}

// Every string literal in app/ui and app/core that looks like a translation key.
// (A plain scan, not <regex>: GCC 12 warns falsely inside <regex> under the sanitizers.)
std::set<std::string> keysUsedInUiSource() {
  std::set<std::string> keys;
  for (const auto& dir : {kSource / "app/ui", kSource / "app/core"}) {
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      if (entry.path().extension() != ".cpp") continue;
      std::ifstream in(entry.path());
      std::stringstream ss;
      ss << in.rdbuf();
      const std::string text = ss.str();
      for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '"') continue;
        const std::size_t close = text.find('"', i + 1);
        if (close == std::string::npos) break;
        const std::string literal = text.substr(i + 1, close - i - 1);
        if (!literal.empty() && looksLikeKey(literal)) keys.insert(literal);
        i = close;
      }
    }
  }
  return keys;
}

std::set<std::string> dynamicKeys() {
  std::set<std::string> keys;
  for (std::string_view c : protocol::kConcerns) keys.insert("concern." + std::string(c));
  for (const auto& q : kHealthQuestions) keys.insert("health." + q);
  for (const auto& [d, _] : kDensityChoices) keys.insert("density." + d);
  for (auto s :
       {engine::HairlineStyle::kSoft, engine::HairlineStyle::kSharp, engine::HairlineStyle::kMature,
        engine::HairlineStyle::kBroken, engine::HairlineStyle::kWidowsPeak}) {
    keys.insert("hairline." + std::string(engine::hairlineStyleName(s)));
  }
  for (int c = 0; c < 5; ++c)
    keys.insert("hair." + std::string(engine::hairColourName(static_cast<engine::HairColour>(c))));
  for (int i = 1; i <= 4; ++i) keys.insert("plan.aftercare_" + std::to_string(i));
  for (const char* k : {"error.name_missing", "error.name_too_long", "error.phone_missing",
                        "error.phone_invalid", "error.email_invalid", "hint.more_light",
                        "hint.less_light", "hint.hold_still", "hint.retake"}) {
    keys.insert(k);
  }
  return keys;
}

TEST(Translations, EveryLanguageHasEveryKey) {
  const Translations tr = Translations::load(kSource / "assets");
  const auto& en = tr.table("en");
  ASSERT_GT(en.size(), 100u);
  for (const std::string& lang : kLanguages) {
    const auto& table = tr.table(lang);
    for (const auto& [key, text] : en) {
      EXPECT_TRUE(table.count(key)) << lang << " is missing '" << key << "'";
      if (table.count(key)) {
        EXPECT_FALSE(table.at(key).empty()) << lang << ": '" << key << "' is empty";
        // Placeholders must match, or a sentence loses its numbers.
        auto count = [](const std::string& s) {
          std::size_t n = 0;
          for (auto p = s.find("{n}"); p != std::string::npos; p = s.find("{n}", p + 1)) ++n;
          return n;
        };
        EXPECT_EQ(count(table.at(key)), count(text)) << lang << ": '" << key << "'";
      }
    }
    EXPECT_EQ(table.size(), en.size()) << lang << " has keys English does not";
  }
}

TEST(Translations, EveryKeyTheCodeUsesExists) {
  const Translations tr = Translations::load(kSource / "assets");
  std::set<std::string> used = keysUsedInUiSource();
  ASSERT_GT(used.size(), 40u) << "the source scan found too few keys: is the pattern right?";
  for (const auto& k : dynamicKeys()) used.insert(k);
  for (const std::string& lang : kLanguages) {
    for (const std::string& key : used) {
      EXPECT_TRUE(tr.table(lang).count(key))
          << lang << " is missing '" << key << "', used by the code";
    }
  }
}

TEST(Translations, FormatFillsPlaceholdersInOrder) {
  Translations tr = Translations::load(kSource / "assets");
  tr.setLanguage("fr");
  EXPECT_EQ(tr.format("nav.step", {"3", "10"}), "Étape 3 sur 10");
  tr.setLanguage("xx");  // unknown: stays French
  EXPECT_EQ(tr.language(), "fr");
  EXPECT_EQ(tr("no.such.key"), "no.such.key");
}

TEST(Translations, AMissingFileIsAClearError) {
  try {
    Translations::load("/nonexistent");
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("en.json is missing"), std::string::npos);
  }
}

}  // namespace
}  // namespace smp::core
