// A few libpqxx connections to one PostgreSQL database, shared by the server's request threads.
// A request borrows one for the length of its transaction; a connection that broke (the
// database restarted, the network dropped) is not put back, and the next borrower opens a new
// one, so a server outlives a PostgreSQL restart without being restarted itself.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <pqxx/pqxx>
#include <string>
#include <utility>
#include <vector>

namespace smp::server {

// A statement every connection of a pool prepares: its name, and its SQL.
struct PreparedStatement {
  std::string name;
  std::string sql;
};

class PostgresPool {
 public:
  // Connects once to prove the address works (throws std::runtime_error saying why not).
  // `prepared` is registered on every connection (libpqxx prepares it on its first use, so it
  // may name a function a migration has yet to create).
  PostgresPool(std::string uri, int maxConnections, std::vector<PreparedStatement> prepared = {});

  class Lease {
   public:
    Lease(PostgresPool& pool, std::unique_ptr<pqxx::connection> connection)
        : m_pool(&pool), m_connection(std::move(connection)) {}
    Lease(Lease&& other) noexcept
        : m_pool(std::exchange(other.m_pool, nullptr)),
          m_connection(std::move(other.m_connection)) {}
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    pqxx::connection& operator*() { return *m_connection; }
    pqxx::connection* operator->() { return m_connection.get(); }

   private:
    PostgresPool* m_pool;
    std::unique_ptr<pqxx::connection> m_connection;
  };

  // Waits while every connection is in use.
  Lease borrow();
  // The address without its password, for log lines and messages.
  const std::string& redactedUri() const { return m_redacted; }

 private:
  std::unique_ptr<pqxx::connection> connect();
  void giveBack(std::unique_ptr<pqxx::connection> connection);

  const std::string m_uri;
  const std::string m_redacted;
  const int m_max;
  const std::vector<PreparedStatement> m_prepared;
  std::mutex m_mutex;
  std::condition_variable m_returned;
  std::vector<std::unique_ptr<pqxx::connection>> m_idle;
  int m_open = 0;
};

// "postgresql://user:secret@host/db" -> "postgresql://user@host/db" (and password=… in a
// key=value string), so an address can be logged.
std::string redactPostgresUri(const std::string& uri);

}  // namespace smp::server
