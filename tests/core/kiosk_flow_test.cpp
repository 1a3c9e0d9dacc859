// The client flow state machine: guards, going back keeps input, reset wipes everything.
#include "app/core/kiosk_flow.h"

#include <gtest/gtest.h>

namespace smp::core {
namespace {

engine::RgbImage frame() { return engine::RgbImage(64, 48); }

class FlowTest : public ::testing::Test {
 protected:
  int saves = 0;
  bool failSave = false;
  KioskFlow flow{[this](const ConsultationDraft& d) {
    if (failSave) throw std::runtime_error("disk full");
    ++saves;
    protocol::ConsultationRecord r;
    r.id = "id-" + d.clientName;
    return r;
  }};

  void fillIntake() {
    flow.start();
    flow.setName("Alex");
    flow.setConcern("scar");
    flow.setConsent(true);
  }
};

TEST_F(FlowTest, HappyPath) {
  EXPECT_EQ(flow.screen(), Screen::kWelcome);
  fillIntake();
  EXPECT_EQ(flow.stepNumber(), 1);
  ASSERT_TRUE(flow.next());
  EXPECT_EQ(flow.screen(), Screen::kPhoto);
  flow.capturePhoto(frame(), defaultGuide(64, 48));
  EXPECT_EQ(flow.screen(), Screen::kPreview);
  ASSERT_TRUE(flow.save());
  EXPECT_EQ(flow.screen(), Screen::kSaved);
  EXPECT_EQ(flow.savedId(), "id-Alex");
  flow.finish();
  EXPECT_EQ(flow.screen(), Screen::kWelcome);
  EXPECT_TRUE(flow.draft().clientName.empty());
  EXPECT_FALSE(flow.draft().frontPhoto.has_value());
}

TEST_F(FlowTest, IntakeGuardsSayWhatIsMissing) {
  flow.start();
  EXPECT_FALSE(flow.next());
  EXPECT_EQ(flow.message(), "Please enter your name");
  flow.setName("A");
  EXPECT_TRUE(flow.message().empty()) << "typing clears the hint";
  flow.setName("   ");
  EXPECT_FALSE(flow.next());
  flow.setName("Alex");
  EXPECT_FALSE(flow.next());
  EXPECT_EQ(flow.message(), "Please choose what brings you here");
  flow.setConcern("not-a-concern");
  EXPECT_TRUE(flow.draft().concern.empty());
  flow.setConcern("alopecia");
  EXPECT_FALSE(flow.next());
  EXPECT_NE(flow.message().find("consent"), std::string::npos);
  flow.setConsent(true);
  EXPECT_TRUE(flow.next());
  EXPECT_TRUE(flow.message().empty());
}

TEST_F(FlowTest, BackKeepsWhatWasTyped) {
  fillIntake();
  ASSERT_TRUE(flow.next());
  flow.back();
  EXPECT_EQ(flow.screen(), Screen::kIntake);
  EXPECT_EQ(flow.draft().clientName, "Alex");
  EXPECT_EQ(flow.draft().concern, "scar");
}

TEST_F(FlowTest, NamesAreCappedAt100Characters) {
  flow.start();
  flow.setName(std::string(300, 'a'));
  EXPECT_EQ(flow.draft().clientName.size(), kMaxNameLength);
}

TEST_F(FlowTest, AFailedSaveKeepsTheDraftAndSaysSo) {
  fillIntake();
  flow.next();
  flow.capturePhoto(frame(), defaultGuide(64, 48));
  failSave = true;
  EXPECT_FALSE(flow.save());
  EXPECT_EQ(flow.screen(), Screen::kPreview);
  EXPECT_NE(flow.message().find("staff"), std::string::npos);
  EXPECT_TRUE(flow.draft().frontPhoto.has_value());
  failSave = false;
  EXPECT_TRUE(flow.save());
  EXPECT_EQ(saves, 1);
}

TEST_F(FlowTest, ResetWipesPersonalData) {
  fillIntake();
  flow.next();
  flow.capturePhoto(frame(), defaultGuide(64, 48));
  flow.reset();
  EXPECT_EQ(flow.screen(), Screen::kWelcome);
  EXPECT_TRUE(flow.draft().clientName.empty());
  EXPECT_FALSE(flow.draft().frontPhoto.has_value());
  EXPECT_FALSE(flow.draft().consentGiven);
}

TEST_F(FlowTest, EmptyFrameIsNotAPhoto) {
  fillIntake();
  flow.next();
  flow.capturePhoto(engine::RgbImage(), defaultGuide(64, 48));
  EXPECT_EQ(flow.screen(), Screen::kPhoto);
  EXPECT_FALSE(flow.message().empty());
}

}  // namespace
}  // namespace smp::core
