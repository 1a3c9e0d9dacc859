// Correcting a record with the client: name, phone and email on the keyboard at the left, the
// health answers at the right; saved as a new revision.
#pragma once

#include "app/ui/staff/staff_context.h"

namespace smp::ui {

class EditScreen {
 public:
  void enter() { m_field = 0; }
  void draw(StaffContext& c);

 private:
  int m_field = 0;  // 0 name, 1 phone, 2 email
};

}  // namespace smp::ui
