// How clinicians write the scales: Roman numerals for Norwood, Ludwig and Fitzpatrick.
#pragma once

#include <string>

namespace smp::core {

// 1-7 -> "I".."VII"; anything else as a plain number.
std::string romanNumeral(int n);
// "norwood-3" -> "Norwood III"; anything else is returned as it was stored.
std::string stageName(const std::string& stage);

}  // namespace smp::core
