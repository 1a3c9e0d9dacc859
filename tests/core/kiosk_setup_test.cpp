// The first start of a kiosk (issue 15): enrolment with a one-time code against a real server
// on 127.0.0.1, each failure named for the technician, and the setup steps as the screens drive
// them.
#include "app/core/kiosk_setup.h"

#include <gtest/gtest.h>

#include "app/core/kiosk_settings.h"
#include "app/core/staff_accounts.h"
#include "sync/protocol/enrolment_code.h"
#include "tests/support/test_pki.h"
#include "tests/support/test_server.h"

namespace smp::core {
namespace {

using namespace std::chrono_literals;

class SetupTest : public ::testing::Test {
 protected:
  test::TempDir dataDir;
  test::TestServer server;
  server::NewKiosk kiosk = server.storage().addKiosk("Leeds");
  std::unique_ptr<store::KioskStore> store = [this] {
    ensureDataDir(dataDir.path());
    return std::make_unique<store::KioskStore>(databasePath(dataDir.path()));
  }();
  std::string newCode() {
    return server.storage().issueEnrolmentCode(kiosk.kioskId, 4'000'000'000)->code;
  }
  SetupProblem problemOf(const std::string& url, const std::string& code,
                         const TlsOptions& tls = {}) {
    try {
      enrollWithCode(*store, url, code, tls);
    } catch (const SetupError& e) {
      return e.problem();
    }
    ADD_FAILURE() << "enrolled with " << url << " " << code;
    return SetupProblem::kServer;
  }
};

TEST_F(SetupTest, ACodeEnrolsTheKioskAndHandsOverItsStoreKey) {
  EXPECT_TRUE(needsSetup(*store));
  const auto info = enrollWithCode(*store, server.url(), newCode());
  EXPECT_EQ(info.kioskId, kiosk.kioskId);
  EXPECT_EQ(store->setting(kSettingKioskId), kiosk.kioskId);
  EXPECT_EQ(store->setting(kSettingClinic), "Leeds");
  EXPECT_NE(store->setting(kSettingToken).value_or(kiosk.token), kiosk.token)
      << "the kiosk holds the new token the code gave it";
  EXPECT_FALSE(store->secretKeyOnDisk()) << "head office holds the store key";
  EXPECT_TRUE(needsSetup(*store)) << "enrolled, but nobody can sign in to staff mode yet";
  StaffAccounts(*store).add("Dana", "4821", true, "test");
  EXPECT_FALSE(needsSetup(*store));
}

TEST_F(SetupTest, EachFailureIsNamedAndNothingIsStored) {
  EXPECT_EQ(problemOf("ftp://head-office", newCode()), SetupProblem::kBadAddress);
  EXPECT_EQ(problemOf("http://head-office.example.com", newCode()), SetupProblem::kBadAddress)
      << "plain http only to this machine";
  EXPECT_EQ(problemOf(server.url(), "K7QM-2XRP"), SetupProblem::kBadCode);
  EXPECT_EQ(problemOf(server.url(), "K7QM-2XRP-9HDW-TNB4"), SetupProblem::kCodeRefused);
  const std::string used = newCode();
  enrollWithCode(*store, server.url(), used);
  test::TempDir otherDir;
  store::KioskStore other(databasePath(otherDir.path()));
  try {
    enrollWithCode(other, server.url(), used);
    ADD_FAILURE() << "a used code enrolled a second kiosk";
  } catch (const SetupError& e) {
    EXPECT_EQ(e.problem(), SetupProblem::kCodeRefused);
    EXPECT_NE(std::string(e.what()).find("used already"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(other.setting(kSettingToken)) << "nothing stored after a refusal";
}

TEST_F(SetupTest, NoAnswerAndAnUntrustedCertificateAreToldApart) {
  test::TempDir fresh;
  store = std::make_unique<store::KioskStore>(databasePath(fresh.path()));
  // A port nothing listens on (the server's own, once it is gone).
  int closedPort = 0;
  {
    test::TestServer gone;
    closedPort = gone.port();
  }
  EXPECT_EQ(problemOf("http://127.0.0.1:" + std::to_string(closedPort), newCode()),
            SetupProblem::kUnreachable);

  test::TempDir pkiDir;
  const auto [ca, cert] = test::makeLoopbackPki(pkiDir.path());
  server::ServerOptions options;
  options.tlsCertificateFile = cert.certFile.string();
  options.tlsPrivateKeyFile = cert.keyFile.string();
  test::TestServer tlsServer(options);
  const auto k = tlsServer.storage().addKiosk("York");
  const auto code = tlsServer.storage().issueEnrolmentCode(k.kioskId, 4'000'000'000)->code;
  // The kiosk does not know the head office's private CA: the certificate does not verify.
  EXPECT_EQ(problemOf(tlsServer.url(), code), SetupProblem::kCertificate);
  EXPECT_EQ(enrollWithCode(*store, tlsServer.url(), code, {ca.certFile.string(), ""}).kioskId,
            k.kioskId)
      << "the code still works once the CA is given";
}

// Waits (bounded) for the check's result and runs it as the frame loop would.
void settle(KioskSetup& setup, UiQueue& queue) {
  ASSERT_TRUE(setup.waitForCheck(30s));
  queue.runPosted();
}

TEST_F(SetupTest, AKioskWithStaffButNotEnrolledRunsAndKeepsItsRecords) {
  StaffAccounts(*store).add("Dana", "4821", true, "test");
  EXPECT_FALSE(needsSetup(*store));
}

TEST_F(SetupTest, TheStepsFromCodeToAdminToCameraToStart) {
  store.reset();
  UiQueue queue;
  KioskSetup setup(dataDir.path(), queue);
  ASSERT_EQ(setup.step(), KioskSetup::Step::kConnect);
  setup.serverUrl = server.url();
  setup.code = "K7QM-2XRP-9HDW-TNB4";
  setup.connect();
  EXPECT_EQ(setup.step(), KioskSetup::Step::kChecking) << "checked off the UI thread";
  settle(setup, queue);
  ASSERT_EQ(setup.step(), KioskSetup::Step::kConnect);
  ASSERT_TRUE(setup.problem());
  EXPECT_EQ(setup.problem()->problem(), SetupProblem::kCodeRefused);

  EXPECT_FALSE(setup.qrCodeRead("https://example.com/not-ours"));
  EXPECT_EQ(setup.step(), KioskSetup::Step::kConnect);
  ASSERT_TRUE(setup.qrCodeRead(protocol::enrolmentLink(server.url(), newCode())));
  settle(setup, queue);
  ASSERT_EQ(setup.step(), KioskSetup::Step::kAdmin)
      << (setup.problem() ? setup.problem()->what() : "");
  EXPECT_EQ(setup.enrolled().clinic, "Leeds");

  setup.adminName = "Dana";
  setup.pin = "4821";
  setup.pinAgain = "4812";
  EXPECT_EQ(setup.createAdmin(), "staff.team_pin_mismatch");
  EXPECT_TRUE(setup.pin.empty() && setup.pinAgain.empty()) << "typed again";
  setup.pin = setup.pinAgain = "1111";
  EXPECT_EQ(setup.createAdmin(), "staff.team_pin_invalid") << "not all the same digit";
  setup.adminName.clear();
  setup.pin = setup.pinAgain = "4821";
  EXPECT_EQ(setup.createAdmin(), "staff.team_name_invalid");
  setup.adminName = "Dana";
  setup.pin = setup.pinAgain = "4821";
  EXPECT_FALSE(setup.createAdmin());
  EXPECT_TRUE(setup.pin.empty()) << "the PIN is not kept in memory";
  EXPECT_EQ(setup.step(), KioskSetup::Step::kCamera);
  setup.finish("test");
  EXPECT_EQ(setup.step(), KioskSetup::Step::kDone);

  store::KioskStore reopened(databasePath(dataDir.path()));
  EXPECT_FALSE(needsSetup(reopened));
  EXPECT_EQ(cameraSpec(reopened), "test");
  const auto members = StaffAccounts(reopened).members();
  ASSERT_EQ(members.size(), 1u);
  EXPECT_EQ(members[0].name, "Dana");
  EXPECT_TRUE(members[0].admin);
}

TEST_F(SetupTest, AKioskEnrolledByCommandButWithoutAnAdminStartsAtTheAdminStep) {
  enrollWithCode(*store, server.url(), newCode());
  EXPECT_TRUE(needsSetup(*store));
  store.reset();
  UiQueue queue;
  KioskSetup setup(dataDir.path(), queue);
  EXPECT_EQ(setup.step(), KioskSetup::Step::kAdmin);
  EXPECT_EQ(setup.enrolled().kioskId, kiosk.kioskId);
}

}  // namespace
}  // namespace smp::core
