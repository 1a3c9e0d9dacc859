#include "sync/server/postgres_pool.h"

#include <regex>
#include <stdexcept>

namespace smp::server {

std::string redactPostgresUri(const std::string& uri) {
  static const std::regex userinfoPassword(R"(^(postgres(?:ql)?://[^:@/]*):[^@/]*@)");
  static const std::regex keywordPassword(R"(password\s*=\s*('[^']*'|\S*))");
  std::string out = std::regex_replace(uri, userinfoPassword, "$1@");
  out = std::regex_replace(out, keywordPassword, "password=…");
  return std::regex_replace(out, std::regex(R"(([?&]password=)[^&]*)"), "$1…");
}

PostgresPool::PostgresPool(std::string uri, int maxConnections,
                           std::vector<PreparedStatement> prepared)
    : m_uri(std::move(uri)),
      m_redacted(redactPostgresUri(m_uri)),
      m_max(maxConnections),
      m_prepared(std::move(prepared)) {
  m_idle.push_back(connect());
  m_open = 1;
}

std::unique_ptr<pqxx::connection> PostgresPool::connect() {
  try {
    auto c = std::make_unique<pqxx::connection>(m_uri);
    // Every text column compares and sorts byte by byte whatever the cluster's locale (the
    // tables use COLLATE "C" too); times are UTC strings this server writes itself.
    pqxx::nontransaction(*c).exec("SET TIME ZONE 'UTC'");
    for (const auto& statement : m_prepared) c->prepare(statement.name, statement.sql);
    return c;
  } catch (const pqxx::broken_connection& e) {
    throw std::runtime_error("cannot connect to PostgreSQL at " + m_redacted + ": " + e.what());
  }
}

PostgresPool::Lease PostgresPool::borrow() {
  {
    std::unique_lock lock(m_mutex);
    m_returned.wait(lock, [&] { return !m_idle.empty() || m_open < m_max; });
    if (!m_idle.empty()) {
      auto c = std::move(m_idle.back());
      m_idle.pop_back();
      return Lease(*this, std::move(c));
    }
    ++m_open;  // a place for the new connection, opened without the lock
  }
  try {
    return Lease(*this, connect());
  } catch (...) {
    std::lock_guard lock(m_mutex);
    --m_open;
    m_returned.notify_one();
    throw;
  }
}

void PostgresPool::giveBack(std::unique_ptr<pqxx::connection> connection) {
  std::lock_guard lock(m_mutex);
  if (connection && connection->is_open()) {
    m_idle.push_back(std::move(connection));
  } else {
    --m_open;  // broken: the next borrower opens a fresh one
  }
  m_returned.notify_one();
}

PostgresPool::Lease::~Lease() {
  if (m_pool) m_pool->giveBack(std::move(m_connection));
}

}  // namespace smp::server
