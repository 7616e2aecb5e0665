#pragma once

#include <functional>

class AnalysisStore;
class AuditLog;
class Database;
class DraftStore;
class HealthMonitor;
class KnowledgeBase;
class KnowledgeSearch;
class Outbox;
class Pipeline;
class SessionManager;

// What the operator API works on: the bot's own stores (core-internal; the console never sees
// this). Every pointer lives on the main thread and outlives the desk.
struct DeskBackend
{
    Database *db = nullptr;
    SessionManager *sessions = nullptr;
    DraftStore *drafts = nullptr;
    Outbox *outbox = nullptr;
    Pipeline *pipeline = nullptr;
    AuditLog *audit = nullptr;
    KnowledgeBase *knowledge = nullptr;
    KnowledgeSearch *search = nullptr;
    AnalysisStore *analysis = nullptr;
    HealthMonitor *health = nullptr; // optional: no health without a connection
    std::function<void()> reconnect; // optional: drops the long connection, dials afresh
};
