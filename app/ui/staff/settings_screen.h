// Staff settings: the language new clients start in, the UI scale and the camera with its live
// picture (any staff); the clinic name, head office's address and the idle timeouts (admins);
// what enrolment and head office set, read-only.
#pragma once

#include <string>
#include <vector>

#include "app/core/ui_queue.h"
#include "app/platform/camera_slot.h"
#include "app/ui/staff/staff_context.h"

namespace smp::ui {

class SettingsScreen {
 public:
  void enter(StaffContext& c);
  void draw(StaffContext& c);

 private:
  void drawEditor(StaffContext& c);  // the clinic name or server address on the keyboard
  void drawUiScaleChoice(StaffContext& c);
  void drawIdleTimeouts(StaffContext& c);
  void drawCameraChoice(StaffContext& c, float width);
  // Starts a switch off the UI thread; the slot says "switching" until its result is posted.
  void switchCamera(StaffContext& c, const std::string& spec);

  enum class Editor { kNone, kClinicName, kServer };
  Editor m_editor = Editor::kNone;
  std::string m_text;  // what the editor's keyboard types into
  // The idle values being adjusted (saved with one tap) and the cameras found on entering.
  int m_idleWarn = 60;
  int m_idleReset = 20;
  std::vector<platform::CameraChoice> m_cameraChoices;
  std::string m_cameraMessage;
  // Camera switches run on staff mode's worker (stopping one pipeline and starting the next
  // can take a second); a result arriving after this screen is gone is dropped.
  core::Lifeline m_lifeline;
};

}  // namespace smp::ui
