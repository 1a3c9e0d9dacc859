// One record: photos, preview and signature on the left (or the live camera while retaking);
// answers, health flags, consent and retention on the right with the status note and actions,
// then head office's follow-up; erasure at the bottom left behind a second confirmation, the
// picture actions (re-run preview, retake) at the bottom right.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "app/ui/staff/staff_context.h"
#include "app/ui/tap_targets.h"

namespace smp::ui {

class RecordDetailScreen {
 public:
  void draw(StaffContext& c);
  // Forgets the note being typed and the images shown (sign-out, erasure).
  void reset();
  // Where each picture was drawn in the last frame, in the order front, preview, top, its
  // preview, signature (those the record has); empty while the keyboard or camera is shown.
  const std::vector<Rect>& shownPictures() const { return m_shownPictures; }

 private:
  void uploadImages(StaffContext& c, const core::RecordDetailView& view);
  void drawPictures(StaffContext& c);
  void drawAnswers(StaffContext& c, const core::RecordDetailView& view);
  void drawActions(StaffContext& c, float panelW);
  // Head office's follow-up (status and notes) as the last sync brought it.
  void drawHeadOffice(StaffContext& c, const core::RecordDetailView& view);
  void drawErase(StaffContext& c);
  // Re-run the preview, retake the photo.
  void drawPictureActions(StaffContext& c);

  std::string m_note;
  bool m_noteEditing = false;
  bool m_retaking = false;
  std::string m_imagesOf;  // "id/revision" of the images in m_images
  std::map<std::string, std::unique_ptr<ImageTexture>> m_images;  // by role
  std::vector<Rect> m_shownPictures;
};

}  // namespace smp::ui
