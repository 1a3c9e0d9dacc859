// The client flow state machine: every step's guard, going back keeps input, idle handling with
// an injected clock, and reset wipes everything personal.
#include "app/core/kiosk_flow.h"

#include <gtest/gtest.h>

#include <cmath>

namespace smp::core {
namespace {

using namespace std::chrono_literals;

class FlowTest : public ::testing::Test {
 protected:
  Clock::time_point t0 = Clock::time_point{} + 1000h;
  int saves = 0;
  bool failSave = false;
  KioskFlow flow{[this](const ConsultationDraft& d) {
    if (failSave) throw std::runtime_error("disk full");
    ++saves;
    protocol::ConsultationRecord r;
    r.id = "id-" + d.clientName;
    return r;
  }};

  // Fills every step up to (not including) `until`, checking each guard on the way.
  void walkTo(Screen until) {
    flow.start(t0);
    while (flow.screen() != until) {
      switch (flow.screen()) {
        case Screen::kConcern:
          flow.setConcern("scar");
          break;
        case Screen::kStage:
          flow.setLossStage("norwood-3");
          break;
        case Screen::kColours:
          flow.setHairColour(engine::HairColour::kDarkBrown);
          flow.setFitzpatrick(4);
          break;
        case Screen::kLook:
          flow.setHairline(engine::HairlineStyle::kSoft);
          flow.setDensityChoice("full");
          break;
        case Screen::kHealth:
          for (const auto& q : kHealthQuestions) flow.setHealthAnswer(q, q == "blood_thinners");
          break;
        case Screen::kContact:
          flow.setName("Alex Doe");
          flow.setPhone("+44 7700 900123");
          break;
        case Screen::kConsent:
          flow.setConsent(true);
          flow.addSignatureStroke({{0.1f, 0.5f}, {0.9f, 0.5f}});
          break;
        case Screen::kPhotos:
          flow.capturePhoto(PhotoKind::kFront, engine::RgbImage(64, 48), defaultGuide(64, 48));
          flow.capturePhoto(PhotoKind::kTop, engine::RgbImage(64, 48), defaultGuide(64, 48));
          break;
        default:
          break;
      }
      ASSERT_TRUE(flow.next()) << screenName(flow.screen()) << ": " << flow.message();
    }
  }
};

TEST_F(FlowTest, TenStepsFromAttractToSaved) {
  EXPECT_EQ(flow.screen(), Screen::kAttract);
  walkTo(Screen::kPlan);
  EXPECT_EQ(flow.stepNumber(), 10);
  ASSERT_TRUE(flow.save());
  EXPECT_EQ(flow.screen(), Screen::kSaved);
  EXPECT_EQ(flow.savedId(), "id-Alex Doe");
  flow.finish();
  EXPECT_EQ(flow.screen(), Screen::kAttract);
  EXPECT_TRUE(flow.draft().clientName.empty());
  EXPECT_FALSE(flow.draft().frontPhoto.has_value());
}

TEST_F(FlowTest, EveryStepSaysWhatIsMissing) {
  flow.start(t0);
  const std::pair<Screen, std::string> expected[] = {
      {Screen::kConcern, "error.choose_concern"},     {Screen::kStage, "error.choose_stage"},
      {Screen::kColours, "error.choose_hair_colour"}, {Screen::kLook, "error.choose_hairline"},
      {Screen::kHealth, "error.answer_all"},          {Screen::kContact, "error.name_missing"},
      {Screen::kConsent, "error.consent_required"},   {Screen::kPhotos, "error.photos_needed"}};
  for (const auto& [screen, key] : expected) {
    walkTo(screen);
    EXPECT_FALSE(flow.next());
    EXPECT_EQ(flow.message(), key) << screenName(screen);
    flow.reset();
  }
}

TEST_F(FlowTest, ContactFieldsAreValidatedInline) {
  EXPECT_EQ(validatePhone(""), "error.phone_missing");
  EXPECT_EQ(validatePhone("12345"), "error.phone_invalid");
  EXPECT_EQ(validatePhone("+44 7700 900123"), "");
  EXPECT_EQ(validatePhone("07700-900123"), "error.phone_invalid");
  EXPECT_EQ(validateEmail(""), "") << "email is optional";
  EXPECT_EQ(validateEmail("alex@example.com"), "");
  for (const char* bad :
       {"alex", "@example.com", "alex@", "alex@example", "a@b@c.com", "al ex@example.com"}) {
    EXPECT_EQ(validateEmail(bad), "error.email_invalid") << bad;
  }
  walkTo(Screen::kContact);
  flow.setName("Alex");
  flow.setPhone("12");
  EXPECT_FALSE(flow.next());
  EXPECT_EQ(flow.message(), "error.phone_invalid");
  flow.setPhone(std::string(50, '1'));
  EXPECT_EQ(flow.draft().phone.size(), kMaxPhoneLength);
}

TEST_F(FlowTest, BackAndForthLosesNothing) {
  walkTo(Screen::kConsent);
  for (int i = 0; i < 5; ++i) flow.back();  // consent (7) back to stage (2)
  EXPECT_EQ(flow.screen(), Screen::kStage);
  EXPECT_EQ(flow.draft().concern, "scar");
  EXPECT_EQ(flow.draft().lossStage, "norwood-3");
  EXPECT_EQ(flow.draft().clientName, "Alex Doe");
  EXPECT_EQ(flow.draft().health.size(), kHealthQuestions.size());
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(flow.next());
  EXPECT_EQ(flow.screen(), Screen::kConsent);
}

TEST_F(FlowTest, HealthYesAnswersAreFlaggedNotRefused) {
  walkTo(Screen::kContact);
  EXPECT_EQ(flow.draft().healthFlags(), std::vector<std::string>{"blood_thinners"});
}

TEST_F(FlowTest, DensityChoiceSetsThePreviewDensity) {
  walkTo(Screen::kHealth);
  EXPECT_EQ(flow.draft().preview.densityPerCm2, kDensityChoices.at("full"));
  flow.setPreviewDensity(500);
  EXPECT_EQ(flow.draft().preview.densityPerCm2, engine::kMaxDensity);
}

TEST_F(FlowTest, IdleWarnsAfterOneMinuteAndResetsTwentySecondsLater) {
  walkTo(Screen::kContact);
  flow.setName("Alex Doe");
  flow.touched(t0);
  EXPECT_FALSE(flow.idleWarning(t0 + 59s).has_value());
  ASSERT_TRUE(flow.idleWarning(t0 + 60s).has_value());
  EXPECT_EQ(*flow.idleWarning(t0 + 60s), 20);
  EXPECT_EQ(*flow.idleWarning(t0 + 75s), 5);
  flow.touched(t0 + 70s);  // a stray touch does not dismiss the warning
  EXPECT_TRUE(flow.idleWarning(t0 + 71s).has_value());
  flow.tick(t0 + 80s);
  EXPECT_EQ(flow.screen(), Screen::kAttract) << "timed out: wiped";
  EXPECT_TRUE(flow.draft().clientName.empty());
  EXPECT_TRUE(flow.draft().health.empty());
  EXPECT_EQ(saves, 0) << "a half-finished consultation is never stored";
}

TEST_F(FlowTest, INeedMoreTimeWorksAtLeastTenTimes) {
  walkTo(Screen::kContact);
  flow.setName("Alex Doe");
  auto now = t0;
  flow.touched(now);
  for (int i = 0; i < 12; ++i) {
    now += 65s;  // into the warning each time
    ASSERT_TRUE(flow.idleWarning(now).has_value()) << i;
    flow.needMoreTime(now);
    flow.tick(now);
    ASSERT_EQ(flow.screen(), Screen::kContact) << "extension " << i;
  }
  EXPECT_EQ(flow.timeExtensions(), 12);
  EXPECT_EQ(flow.draft().clientName, "Alex Doe");
}

TEST_F(FlowTest, NoIdleResetOnTheAttractScreen) {
  flow.tick(t0 + 10h);
  EXPECT_EQ(flow.screen(), Screen::kAttract);
  EXPECT_FALSE(flow.idleWarning(t0 + 10h).has_value());
}

TEST_F(FlowTest, AFailedSaveKeepsTheDraftAndSaysSo) {
  walkTo(Screen::kPlan);
  failSave = true;
  EXPECT_FALSE(flow.save());
  EXPECT_EQ(flow.screen(), Screen::kPlan);
  EXPECT_EQ(flow.message(), "error.save_failed");
  EXPECT_EQ(flow.messageDetail(), "disk full");
  EXPECT_TRUE(flow.draft().frontPhoto.has_value());
  failSave = false;
  EXPECT_TRUE(flow.save());
  EXPECT_EQ(saves, 1);
}

TEST_F(FlowTest, LanguageChoiceSurvivesStartButNotTheNextClient) {
  flow.setLanguage("fr");
  flow.start(t0);
  EXPECT_EQ(flow.draft().language, "fr");
  flow.reset();
  EXPECT_EQ(flow.draft().language, "en");
}

TEST_F(FlowTest, TheClinicsDefaultLanguageGreetsEachNewClient) {
  flow.setDefaultLanguage("es");
  EXPECT_EQ(flow.draft().language, "es") << "applied at once on the attract screen";
  flow.start(t0);
  flow.setLanguage("fr");
  flow.setDefaultLanguage("en");
  EXPECT_EQ(flow.draft().language, "fr") << "never switched under a client mid-consultation";
  flow.reset();
  EXPECT_EQ(flow.draft().language, "en");
  flow.setDefaultLanguage("xx");
  EXPECT_EQ(flow.defaultLanguage(), "en") << "an unknown language is ignored";
}

// "A scar to hide": the client is invited to mark it; marks are clipped to the photo, thinned
// to the engine's limit, undone one at a time, bounded in number, and cleared by a retake.
// "Reset to automatic" takes back every change made by hand on the preview: marks, scalp edits
// and the dragged hairline. A scalp edit is no scar: the invitation to mark one stays.
TEST_F(FlowTest, ResetToAutomaticTakesBackEveryChangeByHand) {
  walkTo(Screen::kPreview);
  EXPECT_FALSE(flow.adjustedByHand());
  ASSERT_TRUE(flow.addMark({{{20, 10}}, 6, engine::MarkKind::kAddScalp}));
  EXPECT_EQ(flow.draft().preview.marks[0].kind, engine::MarkKind::kAddScalp);
  EXPECT_TRUE(flow.invitesScarMarking()) << "adding scalp is not marking the scar";
  flow.setHairlineControls({{0, 10}, {32, 8}, {64, 10}});
  EXPECT_TRUE(flow.adjustedByHand());
  flow.resetToAutomatic();
  EXPECT_FALSE(flow.adjustedByHand());
  EXPECT_TRUE(flow.draft().preview.marks.empty());
  EXPECT_FALSE(flow.draft().preview.hairlineControls.has_value());
}

TEST_F(FlowTest, ScarMarksAreInvitedBoundedUndoneAndClearedByARetake) {
  walkTo(Screen::kPreview);
  EXPECT_TRUE(flow.invitesScarMarking());  // walkTo chose "scar"
  const auto& marks = flow.draft().preview.marks;
  engine::MarkStroke stroke{{{-50, 10}, {30, 20}, {500, 400}}, 6};
  ASSERT_TRUE(flow.addMark(stroke));
  EXPECT_FALSE(flow.invitesScarMarking());
  ASSERT_EQ(marks.size(), 1u);
  EXPECT_EQ(marks[0].points.front().x, 0);  // the 64x48 photo's edge
  EXPECT_EQ(marks[0].points.back().x, 64);
  EXPECT_EQ(marks[0].points.back().y, 48);
  engine::MarkStroke longStroke{{}, 1e9};
  for (int i = 0; i < 5000; ++i) longStroke.points.push_back({i * 0.01, 5});
  ASSERT_TRUE(flow.addMark(longStroke));
  EXPECT_EQ(marks[1].points.size(), engine::kMaxMarkPoints);
  EXPECT_EQ(marks[1].points.back().x, 49.99);  // its end is kept
  EXPECT_EQ(marks[1].radiusPx, 1000);          // clamped
  EXPECT_FALSE(flow.addMark({{}, 5}));         // nothing to mark
  EXPECT_FALSE(flow.addMark({{{std::nan(""), 1}}, 5}));
  flow.undoMark();
  EXPECT_EQ(marks.size(), 1u);
  while (marks.size() < engine::kMaxMarkStrokes) ASSERT_TRUE(flow.addMark({{{1, 1}}, 5}));
  EXPECT_FALSE(flow.addMark({{{1, 1}}, 5}));  // full: refused, nothing dropped
  EXPECT_EQ(marks.size(), engine::kMaxMarkStrokes);
  EXPECT_EQ(core::previewParamsFor(flow.draft()).marks.size(), engine::kMaxMarkStrokes);
  flow.clearMarks();
  EXPECT_TRUE(marks.empty());
  ASSERT_TRUE(flow.addMark(stroke));
  flow.retakePhoto(PhotoKind::kFront);
  flow.capturePhoto(PhotoKind::kFront, engine::RgbImage(64, 48), defaultGuide(64, 48));
  EXPECT_TRUE(marks.empty());  // marks belonged to the old photo
}

TEST_F(FlowTest, TheTopViewKeepsItsOwnMarksAndHairlineAndGoesWithItsPhoto) {
  walkTo(Screen::kPreview);
  EXPECT_EQ(flow.previewView(), PhotoKind::kFront);
  ASSERT_TRUE(flow.addMark({{{10, 10}}, 4, engine::MarkKind::kAddScalp}));
  flow.setPreviewView(PhotoKind::kTop);
  ASSERT_EQ(flow.previewView(), PhotoKind::kTop);
  EXPECT_FALSE(flow.adjustedByHand()) << "the front's mark is not the top's";
  EXPECT_TRUE(flow.invitesScarMarking());
  ASSERT_TRUE(flow.addMark({{{30, 20}}, 6, engine::MarkKind::kScar}));
  flow.setHairlineControls({{0, 40}, {32, 36}, {64, 40}});
  EXPECT_FALSE(flow.invitesScarMarking()) << "a scar marked on the crown counts";
  EXPECT_EQ(flow.draft().preview.marks.size(), 1u);
  EXPECT_EQ(flow.draft().topEdits.marks.size(), 1u);
  const auto top = previewParamsFor(flow.draft(), PhotoKind::kTop);
  ASSERT_EQ(top.marks.size(), 1u);
  EXPECT_EQ(top.marks[0].kind, engine::MarkKind::kScar);
  ASSERT_TRUE(top.hairlineControls.has_value());
  EXPECT_FALSE(previewParamsFor(flow.draft(), PhotoKind::kFront).hairlineControls.has_value());
  // Reset takes back the view on screen only.
  flow.resetToAutomatic();
  EXPECT_TRUE(flow.draft().topEdits.marks.empty());
  EXPECT_EQ(flow.draft().preview.marks.size(), 1u);
  // A retaken top photo goes back to the front view, its edits gone with it; without a top
  // photo the top view cannot be chosen.
  ASSERT_TRUE(flow.addMark({{{30, 20}}, 6, engine::MarkKind::kScar}));
  flow.retakePhoto(PhotoKind::kTop);
  EXPECT_EQ(flow.previewView(), PhotoKind::kFront);
  flow.setPreviewView(PhotoKind::kTop);
  EXPECT_EQ(flow.previewView(), PhotoKind::kFront);
  const auto before = flow.topPhotoGeneration();
  flow.capturePhoto(PhotoKind::kTop, engine::RgbImage(64, 48), defaultGuide(64, 48));
  EXPECT_EQ(flow.topPhotoGeneration(), before + 1);
  EXPECT_TRUE(flow.draft().topEdits.marks.empty());
}

TEST_F(FlowTest, UnknownChoicesAreIgnored) {
  flow.start(t0);
  flow.setConcern("vanity");
  flow.setLossStage("norwood-9");
  flow.setFitzpatrick(7);
  flow.setHealthAnswer("unknown", true);
  flow.setDensityChoice("huge");
  EXPECT_TRUE(flow.draft().concern.empty());
  EXPECT_TRUE(flow.draft().lossStage.empty());
  EXPECT_EQ(flow.draft().fitzpatrick, 0);
  EXPECT_TRUE(flow.draft().health.empty());
  EXPECT_TRUE(flow.draft().density.empty());
}

}  // namespace
}  // namespace smp::core
