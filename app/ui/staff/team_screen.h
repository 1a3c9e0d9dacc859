// The team (admins): who can sign in, each with a two-step remove; a form to add someone with
// a name on the keyboard and a PIN typed twice on a keypad.
#pragma once

#include "app/ui/staff/staff_context.h"

namespace smp::ui {

class TeamScreen {
 public:
  void enter(StaffContext& c);
  void draw(StaffContext& c);

 private:
  void drawMembers(StaffContext& c);
  void drawNewMemberForm(StaffContext& c);

  int m_field = 0;  // 0 name, 1 PIN, 2 PIN again
};

}  // namespace smp::ui
