// The real kiosk over HTTPS (issue 10): enrolled with the head office's private CA and its key
// pin, it syncs; with another pin it stores nothing.
#include <gtest/gtest.h>

#include "app/core/kiosk_commands.h"
#include "sync/protocol/sha256.h"
#include "tests/support/sample_records.h"
#include "tests/support/test_pki.h"
#include "tests/support/test_server.h"

namespace smp::core {
namespace {

TEST(HttpsSync, AKioskEnrolledWithThePrivateCaAndPinSyncsOverTls) {
  test::TempDir pkiDir;
  const auto [ca, cert] = test::makeLoopbackPki(pkiDir.path());
  server::ServerOptions options;
  options.tlsCertificateFile = cert.certFile.string();
  options.tlsPrivateKeyFile = cert.keyFile.string();
  test::TestServer server(options);
  const auto k = server.storage().addKiosk("Leeds");

  test::TempDir data;
  ensureDataDir(data.path());
  store::KioskStore store(databasePath(data.path()));
  const TlsOptions wrongPin{ca.certFile.string(), test::publicKeyPin(ca)};
  EXPECT_THROW(enroll(store, server.url(), k.token, wrongPin), std::runtime_error);
  EXPECT_FALSE(store.setting(kSettingToken).has_value()) << "nothing stored after a refusal";

  const TlsOptions tls{ca.certFile.string(), test::publicKeyPin(cert)};
  EXPECT_EQ(enroll(store, server.url(), k.token, tls).kioskId, k.kioskId);
  const auto saved = store.save(test::consultationToSave("Ana", "jpg"));
  const auto report = syncOnce(data.path(), endpointFor(store, ""));
  EXPECT_EQ(report.outcome, sync::PassOutcome::kAllAcknowledged) << report.message;
  int rows = 0;
  server.storage().forEachConsultation(
      [&](const server::StoredConsultation& s) { rows += s.id == saved.id; });
  EXPECT_EQ(rows, 1);
}

}  // namespace
}  // namespace smp::core
