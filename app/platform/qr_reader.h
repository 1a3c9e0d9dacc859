// Reads QR codes from camera frames with ZBar (Debian's libzbar): the kiosk's setup screen takes
// head office's address and the enrolment code from the QR code on the Kiosks page, held up to
// the camera, instead of having them typed.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "engine/image.h"

namespace smp::platform {

class QrReader {
 public:
  QrReader();
  ~QrReader();
  QrReader(const QrReader&) = delete;
  QrReader& operator=(const QrReader&) = delete;

  // The text of a QR code in the frame, if one can be read; nullopt otherwise. Frames wider
  // than 1280 px are halved first: a QR code held up to the camera fills much of the picture,
  // and ZBar's time grows with the pixel count.
  std::optional<std::string> read(const engine::RgbImage& frame);

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace smp::platform
