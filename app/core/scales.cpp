#include "app/core/scales.h"

#include <cctype>

namespace smp::core {

std::string romanNumeral(int n) {
  static const char* kRoman[] = {"I", "II", "III", "IV", "V", "VI", "VII"};
  return n >= 1 && n <= 7 ? kRoman[n - 1] : std::to_string(n);
}

std::string stageName(const std::string& stage) {
  const auto dash = stage.find('-');
  if (dash == std::string::npos || dash == 0 || stage.size() != dash + 2) return stage;
  const int n = stage[dash + 1] - '0';
  if (n < 1 || n > 7) return stage;
  std::string name = stage.substr(0, dash);
  name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
  return name + " " + romanNumeral(n);
}

}  // namespace smp::core
