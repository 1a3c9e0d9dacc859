// Photo decoding as the kiosk does it for camera stills (file: camera), imported photos and the
// signature: any bytes give an image or a clear error, never a crash or a huge allocation.
#include <cstddef>
#include <cstdint>
#include <stdexcept>

#include "app/imageio/image_io.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const smp::imageio::Bytes bytes(data, data + size);
  try {
    (void)smp::imageio::decodeRgb(bytes, "fuzz input");
  } catch (const std::exception&) {
  }
  try {
    (void)smp::imageio::decodeGray(bytes, "fuzz input");
  } catch (const std::exception&) {
  }
  return 0;
}
