#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QStringList>

class OpenApiClient;
class SessionManager;

// Customer and group names for the console: Feishu pushes carry only open_ids and chat_ids. When
// a session is created, the user's name (GET /open-apis/contact/v3/users/{open_id}, needs the
// contact:user.base:readonly scope) and, for a group, the chat's name (GET
// /open-apis/im/v1/chats/{chat_id}, im:chat) are looked up once and written to every session of
// that user or chat (SessionManager::setUserName/setChatName, so the console's rows update). At
// most kMaxInFlight lookups run at a time; names are cached for the process. A refusal (the
// scope not granted, the bot not in the chat) is logged once with what to grant, and that kind
// of lookup rests for kRestAfterRefusalMs: the console shows the open_id meanwhile, as before.
class NameDirectory final : public QObject
{
    Q_OBJECT
public:
    NameDirectory(OpenApiClient *api, SessionManager *sessions, QObject *parent = nullptr);
    ~NameDirectory() override;
    Q_DISABLE_COPY_MOVE(NameDirectory)

    static constexpr int kMaxInFlight = 4;
    static constexpr int kRestAfterRefusalMs = 60 * 60 * 1000;

    // No new lookups (the bot is stopping); answers in flight are dropped.
    void stop() { m_stopped = true; }

private:
    enum class Kind { User, Chat };
    struct Lookup
    {
        Kind kind = Kind::User;
        QString id;
    };
    struct Rest // per kind: refused lately?
    {
        QElapsedTimer since;
        bool logged = false;
    };

    void onSessionCreated(qint64 sessionId);
    void want(Kind kind, const QString &id);
    void startNext();
    void finished(const Lookup &lookup, bool ok, const QString &name, int code, const QString &message);
    void apply(Kind kind, const QString &id, const QString &name);
    Rest &rest(Kind kind) { return kind == Kind::User ? m_userRest : m_chatRest; }

    OpenApiClient *m_api = nullptr;
    SessionManager *m_sessions = nullptr;
    QHash<QString, QString> m_userNames; // open_id -> name
    QHash<QString, QString> m_chatNames; // chat_id -> name
    QSet<QString> m_asked;               // "u:<id>" / "c:<id>": queued, in flight or answered
    QList<Lookup> m_queue;
    int m_inFlight = 0;
    Rest m_userRest;
    Rest m_chatRest;
    bool m_stopped = false;
};
