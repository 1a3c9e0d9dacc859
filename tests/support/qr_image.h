// A QR code drawn into an image, as a phone screen or a printout held up to the kiosk's camera
// shows it: libqrencode (Debian's libqrencode, tests only) makes the modules.
#pragma once

#include <qrencode.h>

#include <stdexcept>
#include <string>

#include "engine/image.h"

namespace smp::test {

// `text` as a QR code of `modulePx` pixels per module with a 4-module quiet zone, drawn dark on
// white at (x, y) of a grey `width` x `height` frame.
inline engine::RgbImage qrCodeFrame(const std::string& text, int width, int height, int modulePx,
                                    int x, int y) {
  QRcode* code = QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (!code) throw std::runtime_error("libqrencode could not encode the text");
  engine::RgbImage frame(width, height);
  for (auto& v : frame.pixels) v = 128;
  const int side = (code->width + 8) * modulePx;
  for (int py = 0; py < side && y + py < height; ++py) {
    for (int px = 0; px < side && x + px < width; ++px) {
      const int mx = px / modulePx - 4, my = py / modulePx - 4;
      const bool dark = mx >= 0 && my >= 0 && mx < code->width && my < code->width &&
                        (code->data[my * code->width + mx] & 1);
      std::uint8_t* p = frame.at(x + px, y + py);
      p[0] = p[1] = p[2] = dark ? 20 : 235;
    }
  }
  QRcode_free(code);
  return frame;
}

}  // namespace smp::test
