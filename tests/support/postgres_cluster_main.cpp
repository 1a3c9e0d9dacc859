// smp-test-postgres start|stop FOLDER: ctest's `postgres` fixture (one cluster per test run).
#include <iostream>
#include <string>

#include "tests/support/postgres_cluster.h"

int main(int argc, char** argv) {
  const std::string usage = "usage: smp-test-postgres start|stop FOLDER";
  if (argc != 3) {
    std::cerr << usage << "\n";
    return 2;
  }
  const std::string what = argv[1];
  try {
    if (what == "start") {
      smp::test::startPostgresCluster(argv[2]);
      std::cout << "PostgreSQL running in " << argv[2] << " (PID "
                << smp::test::postgresClusterPid(argv[2]) << ")\n";
    } else if (what == "stop") {
      smp::test::stopPostgresCluster(argv[2]);
    } else {
      std::cerr << usage << "\n";
      return 2;
    }
  } catch (const std::exception& e) {
    std::cerr << "smp-test-postgres: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
