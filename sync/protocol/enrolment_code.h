// Enrolment codes: how a kiosk's setup screen collects its token from head office. A code is
// one-time and short-lived, typed on the on-screen keyboard or read from a QR code, so it is
// 16 characters from an alphabet without look-alikes (no 0/O, 1/I/L, U), shown in groups of
// four: about 78 random bits, far beyond guessing within its 24 hours.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace smp::protocol {

inline constexpr std::string_view kEnrolmentCodeAlphabet = "ABCDEFGHJKMNPQRSTVWXYZ23456789";
inline constexpr std::size_t kEnrolmentCodeLength = 16;

// "K7QM-2XRP-9HDW-TNB4", from libsodium's CSPRNG.
std::string newEnrolmentCode();
// What a person typed, in the canonical form the server hashes: upper case, without spaces or
// dashes. nullopt when it is not 16 characters of the alphabet.
std::optional<std::string> normaliseEnrolmentCode(std::string_view typed);
// Groups the canonical form in fours with dashes, as it is shown.
std::string displayEnrolmentCode(std::string_view canonical);

// What the QR code on head office's Kiosks page carries:
//   smpkiosk:enrol?server=<URL, percent-encoded>&code=<code>
std::string enrolmentLink(std::string_view serverUrl, std::string_view code);
struct EnrolmentLink {
  std::string serverUrl;
  std::string code;  // canonical
};
// nullopt for anything else a camera may read (another QR code, a damaged one).
std::optional<EnrolmentLink> parseEnrolmentLink(std::string_view text);

}  // namespace smp::protocol
