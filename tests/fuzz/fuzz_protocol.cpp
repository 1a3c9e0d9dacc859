// Every protocol parser, on both sides: the server's reading of records and heartbeats, and the
// kiosk's reading of what a server answers (acknowledgements, config). The first byte chooses
// the parser; the rest is the text, bounded as the real callers bound it.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sync/protocol/consultation.h"
#include "sync/protocol/messages.h"
#include "sync/protocol/untrusted_json.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace smp::protocol;
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    const nlohmann::json j = parseUntrustedJson(text, kMaxRecordBytes);
    switch (data[0] % 4) {
      case 0: {
        const ConsultationRecord r = ConsultationRecord::fromJson(j);
        // What the server does next with an accepted record.
        (void)r.contentSha256();
        (void)dumpJson(r.toJson());
        break;
      }
      case 1:
        (void)Heartbeat::fromJson(j).toJson();
        break;
      case 2:
        validateConfig(j);
        (void)dumpJson(j);
        break;
      default:
        (void)Ack::fromJson(j);
        break;
    }
  } catch (const ProtocolError&) {
    // The expected answer to bad input: a message naming the field.
  }
  return 0;
}
