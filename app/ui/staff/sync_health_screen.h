// Sync health: online or not, what waits to be sent and for how long, the last result, records
// head office keeps refusing (each can be released), sync now, and re-enrolment (admins) with
// a token typed on the keyboard when head office no longer accepts this kiosk's token.
#pragma once

#include <string>

#include "app/ui/staff/staff_context.h"

namespace smp::ui {

class SyncHealthScreen {
 public:
  void enter();
  void draw(StaffContext& c, StaffContext::Clock::time_point now);

 private:
  void drawReenrol(StaffContext& c);

  bool m_reenrolling = false;
  std::string m_token;  // the re-enrolment token being typed; a secret, cleared when done
};

}  // namespace smp::ui
